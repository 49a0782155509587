"""Reader comments: numbered within their post, threaded, and kept in place when removed.

A comment's number is given once and never reused or moved, so "see #12" keeps meaning #12.
Readers never delete rows: deleting or removing a comment changes its status, and a removed
comment that has replies stays in the thread as a placeholder. Which comments count as visible
(and so in ``Post.comment_count``) is decided in one place: approved ones.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    SPAM = "spam", "Spam"
    REMOVED = "removed", "Removed"


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=CommentStatus.APPROVED)

    def on_published_posts(self):
        from masthead.publishing.models import published_filter

        return self.filter(published_filter("post__"))


class Comment(models.Model):
    post = models.ForeignKey("publishing.Post", on_delete=models.CASCADE, related_name="comments")
    number = models.PositiveIntegerField(editable=False)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    name = models.CharField(max_length=80)
    email = models.EmailField(blank=True)
    url = models.URLField("website", max_length=300, blank=True)
    body = models.TextField(blank=True)
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    status_reason = models.CharField(max_length=200, blank=True)
    spam_score = models.FloatField(null=True, blank=True)
    wants_replies = models.BooleanField("email me replies", default=False)
    mention_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The earlier comment an opening “@Name:” answers, found by the resolver.",
    )
    mention_confidence = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    import_ref = models.CharField(max_length=200, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["post", "number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="comment_number_per_post"),
            models.UniqueConstraint(
                fields=["post", "import_ref"],
                condition=~Q(import_ref=""),
                name="comment_import_ref_per_post",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="comment_number_positive"),
        ]
        indexes = [
            models.Index(fields=["post", "updated_at"], name="comment_post_changed_idx"),
            models.Index(fields=["status", "created_at"], name="comment_status_created_idx"),
            # Counting a post's approved comments must not wander into the status index on a
            # big table whose statistics lag behind (as they do during an import).
            models.Index(fields=["post", "status"], name="comment_post_status_idx"),
            # Moderation reads a guest's history by address and the latest comments site-wide on
            # every new comment; without these both scan the whole table. With the post in the
            # index, the latest comments on the commenter's own post are passed over unread.
            models.Index(fields=["email", "status"], name="comment_email_status_idx"),
            models.Index(fields=["created_at", "post"], name="comment_created_post_idx"),
            # The duplicate check runs twice for every comment posted, once under the post's
            # write lock: by post alone it read the whole thread, growing with it.
            models.Index(
                fields=["post", "email", "created_at"], name="comment_post_email_time_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} by {self.name}"

    def get_absolute_url(self) -> str:
        return reverse(
            "discussion:permalink", kwargs={"slug": self.post.slug, "number": self.number}
        )

    @property
    def anchor(self) -> str:
        return f"comment-{self.number}"

    @property
    def safe_url(self) -> str:
        """The commenter's website, only if it is a plain web address (imports bring anything)."""
        url = self.url.strip()
        return url if url.lower().startswith(("http://", "https://")) else ""

    @property
    def is_approved(self) -> bool:
        return self.status == CommentStatus.APPROVED

    @property
    def edit_deadline(self) -> datetime.datetime:
        return self.created_at + datetime.timedelta(minutes=settings.COMMENT_EDIT_MINUTES)


class Subscription(models.Model):
    """An address that asked to hear about replies to its comments under one post."""

    post = models.ForeignKey("publishing.Post", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    is_confirmed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    last_notified_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "email"], name="subscription_per_post_email")
        ]

    def __str__(self) -> str:
        return f"{self.email} on post {self.post_id}"

    @property
    def is_active(self) -> bool:
        return self.is_confirmed and self.unsubscribed_at is None


def comments_open_for(post, *, now: datetime.datetime | None = None) -> bool:
    """Open unless an editor closed the post or it is older than the auto-close age."""
    if not post.is_comments_open:
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if days and post.published_at is not None:
        return (now or timezone.now()) < post.published_at + datetime.timedelta(days=days)
    return True
