from django.contrib import admin

from masthead.discussion import services
from masthead.discussion.models import Comment, CommentStatus, Subscription


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments are never deleted or rewritten here, so numbers never move: set a status."""

    list_display = ["__str__", "post", "status", "status_reason", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "email", "body", "post__title"]
    list_select_related = ["post"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "post", "number", "name", "email", "url", "body", "parent", "user", "mention_of",
        "mention_confidence", "spam_score", "created_at", "edited_at", "updated_at",
        "ip_address", "user_agent", "import_ref",
    ]  # fmt: skip
    fields = ["status", "status_reason", *readonly_fields]
    actions = ["approve", "remove"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        status, reason = form.cleaned_data["status"], form.cleaned_data["status_reason"]
        obj.status = form.initial["status"]
        services.comment_status_set(comment=obj, status=status, reason=reason)

    @admin.action(description="Approve the selected comments")
    def approve(self, request, queryset):
        for comment in queryset:
            services.comment_status_set(comment=comment, status=CommentStatus.APPROVED)

    @admin.action(description="Remove the selected comments")
    def remove(self, request, queryset):
        for comment in queryset:
            services.comment_remove(comment=comment)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "post", "is_confirmed", "unsubscribed_at", "last_notified_at"]
    list_filter = ["is_confirmed"]
    search_fields = ["email", "post__title"]
    list_select_related = ["post"]
    readonly_fields = ["post", "created_at", "confirmation_sent_at", "last_notified_at"]
