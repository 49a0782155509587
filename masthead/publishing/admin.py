import difflib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from masthead.publishing import services
from masthead.publishing.models import Category, Post, PostStatus, Revision, Tag


class PostAdminForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = [
            "title", "slug", "dek", "body", "featured_image", "author", "status",
            "published_at", "is_comments_open", "categories", "tags",
        ]  # fmt: skip

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("A post needs a title.")
        return title

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == PostStatus.SCHEDULED and not cleaned.get("published_at"):
            self.add_error("published_at", "A scheduled post needs the time it should appear.")
        return cleaned


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class RevisionInline(admin.TabularInline):
    model = Revision
    fields = ["created_at", "created_by", "title", "compare"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="")
    def compare(self, revision):
        url = reverse("admin:publishing_post_revision", args=[revision.post_id, revision.pk])
        return format_html('<a href="{}">Compare and restore</a>', url)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "status", "published_at", "comment_count", "preview_link"]
    list_filter = ["status", "author", "categories", "tags", "is_comments_open", "published_at"]
    search_fields = ["title", "dek", "body", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "featured_image", "categories", "tags"]
    inlines = [RevisionInline]
    form = PostAdminForm
    readonly_fields = ["preview_link"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "dek", "body", "featured_image"]}),
        (
            "Publishing",
            {"fields": ["author", "status", "published_at", "is_comments_open", "preview_link"]},
        ),
        ("Filed under", {"fields": ["categories", "tags"]}),
    ]

    @admin.display(description="Preview")
    def preview_link(self, post):
        if not post.pk:
            return "Save the post to preview it."
        return format_html('<a href="{}">Preview</a>', post.get_preview_url())

    def save_model(self, request, obj, form, change):
        services.post_save(post=obj, by=request.user)

    def get_urls(self):
        return [
            path(
                "<int:post_id>/revisions/<int:revision_id>/",
                self.admin_site.admin_view(self.revision_view),
                name="publishing_post_revision",
            ),
            path(
                "<int:post_id>/revisions/<int:revision_id>/restore/",
                self.admin_site.admin_view(require_POST(self.revision_restore_view)),
                name="publishing_post_revision_restore",
            ),
            *super().get_urls(),
        ]

    def revision_view(self, request, post_id, revision_id):
        post = get_object_or_404(Post, pk=post_id)
        if not self.has_view_permission(request, post):
            raise PermissionDenied
        revision = get_object_or_404(Revision, pk=revision_id, post=post)
        diff = difflib.HtmlDiff(wrapcolumn=70).make_table(
            revision.body.splitlines(),
            post.body.splitlines(),
            fromdesc=f"Revision of {revision.created_at:%Y-%m-%d %H:%M}",
            todesc="Current",
            context=True,
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "post": post,
            "revision": revision,
            "diff": diff,
            "title_changed": revision.title != post.title,
            "dek_changed": revision.dek != post.dek,
            "can_restore": self.has_change_permission(request, post),
            "title": f"Compare revision: {post.title}",
        }
        return TemplateResponse(request, "admin/publishing/post/revision.html", context)

    def revision_restore_view(self, request, post_id, revision_id):
        post = get_object_or_404(Post, pk=post_id)
        if not self.has_change_permission(request, post):
            raise PermissionDenied
        revision = get_object_or_404(Revision, pk=revision_id, post=post)
        services.revision_restore(revision=revision, by=request.user)
        messages.success(request, f"Restored the revision of {revision.created_at:%Y-%m-%d %H:%M}.")
        return redirect("admin:publishing_post_change", post.pk)
