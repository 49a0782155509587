import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from masthead.core.links import cached_reverse
from masthead.core.markdown import plain_text, render_article


class PostStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"


def published_filter(prefix: str = "") -> models.Q:
    """Posts readers may see: published, or scheduled with their time come (no cron needed)."""
    return models.Q(
        **{
            f"{prefix}status__in": [PostStatus.PUBLISHED, PostStatus.SCHEDULED],
            f"{prefix}published_at__lte": timezone.now(),
        }
    )


def published_sql(alias: str) -> tuple[str, list]:
    """`published_filter` as SQL, for the post page's hand-written reads (see selectors)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return (
        f"{alias}.status IN (%s, %s) AND {alias}.published_at <= %s",
        [PostStatus.PUBLISHED.value, PostStatus.SCHEDULED.value, now],
    )


def not_blank(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=GreaterThan(Length(Trim(field)), 0), name=name)


class Term(models.Model):
    """What categories and tags share: a name that is never blank and a slug made from it."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True, blank=True)
    import_ref = models.CharField(
        max_length=200, null=True, blank=True, unique=True, editable=False,
        help_text="Where an imported row came from, so a re-run updates it instead of copying.",
    )  # fmt: skip

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.clean()
        if not self.slug:
            self.slug = slugify(self.name)[:100] or uuid.uuid4().hex[:12]
        super().save(*args, **kwargs)

    def clean(self):
        self.name = (self.name or "").strip()
        if not self.name:
            raise ValidationError({"name": "A name cannot be empty."})


class Category(Term):
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    description = models.TextField(blank=True)

    class Meta(Term.Meta):
        verbose_name_plural = "categories"
        constraints = [not_blank("name", "category_name_not_blank")]

    def get_absolute_url(self) -> str:
        return cached_reverse("publishing:category", slug=self.slug)

    def clean(self):
        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "A category cannot sit inside itself."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Tag(Term):
    class Meta(Term.Meta):
        constraints = [not_blank("name", "tag_name_not_blank")]

    def get_absolute_url(self) -> str:
        return cached_reverse("publishing:tag", slug=self.slug)


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_filter())


class Post(models.Model):
    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=250, unique=True, blank=True)
    dek = models.TextField(blank=True, help_text="The lede under the headline.")
    body = models.TextField(help_text="Markdown. End a block quote with '— Source' to credit it.")
    body_html = models.TextField(editable=False, default="")
    body_text = models.TextField(editable=False, default="")
    author = models.ForeignKey(
        "people.AuthorProfile", on_delete=models.PROTECT, related_name="posts"
    )
    featured_image = models.ForeignKey(
        "media.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=PostStatus.choices, default=PostStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    categories = models.ManyToManyField(Category, blank=True, related_name="posts")
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    is_comments_open = models.BooleanField("comments open", default=True)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    preview_token = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    import_ref = models.CharField(
        max_length=200, null=True, blank=True, unique=True, editable=False,
        help_text="Where an imported row came from, so a re-run updates it instead of copying.",
    )  # fmt: skip

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [not_blank("title", "post_title_not_blank")]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            # An author's published posts, counted on every post page and listed on theirs:
            # without it the count read every published post (126 ms with 5,000 posts).
            models.Index(
                fields=["author", "status", "published_at"], name="post_author_published_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = self.title.strip()
        if not self.slug:
            self.slug = slugify(self.title)[:250]
        self.body_html = render_article(self.body)
        self.body_text = plain_text(self.body_html)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        when = timezone.localtime(self.published_at) if self.published_at else timezone.now()
        return cached_reverse(
            "publishing:post", year=when.year, month=when.month, day=when.day, slug=self.slug
        )

    def get_preview_url(self) -> str:
        return reverse("publishing:preview", kwargs={"token": self.preview_token})

    @property
    def is_published(self) -> bool:
        return (
            self.status in (PostStatus.PUBLISHED, PostStatus.SCHEDULED)
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def modified_at(self):
        return max(self.updated_at, self.published_at) if self.published_at else self.updated_at


class Revision(models.Model):
    """A saved state of a post's words, kept on every change of the body."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=250)
    dek = models.TextField(blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.post} at {self.created_at:%Y-%m-%d %H:%M}"
