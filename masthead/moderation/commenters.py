"""Who wrote a comment, as moderation counts people: by account, or a guest by e-mail address.

A guest's e-mail address is never shown and is only as good as the guest's word, so a guest's
history counts towards trust only once they have confirmed the address (by following the link
in the reply-notification e-mail discussion sends).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from masthead.core.database import read_together
from masthead.discussion.models import Comment, CommentStatus, Subscription


@dataclass(frozen=True)
class Commenter:
    user_id: int | None
    email: str

    @classmethod
    def of(cls, comment: Comment) -> "Commenter":
        if comment.user_id is not None:
            return cls(comment.user_id, "")
        return cls(None, (comment.email or "").strip().lower())

    @property
    def key(self) -> str:
        """What rate limits and history group by; empty for a guest without an address."""
        if self.user_id is not None:
            return f"user:{self.user_id}"
        return f"email:{self.email}" if self.email else ""

    def comments(self) -> QuerySet[Comment]:
        if self.user_id is not None:
            return Comment.objects.filter(user_id=self.user_id)
        if not self.email:
            return Comment.objects.none()
        return Comment.objects.filter(user=None, email=self.email)

    def comments_where(self) -> tuple[str, list] | None:
        """``comments()`` as a WHERE clause and its parameters, for SQL written by hand; None
        when there are none (a guest without an address)."""
        if self.user_id is not None:
            return "user_id = %s", [self.user_id]
        if not self.email:
            return None
        return "user_id IS NULL AND email = %s", [self.email]


@dataclass(frozen=True)
class History:
    approved: int = 0
    spam: int = 0


def commenter_history(commenter: Commenter, *, excluding: int | None = None) -> History:
    """How many of their comments (other than ``excluding``) are approved and spam: one query,
    written here since every comment posted asks it."""
    read = commenter_history_read(commenter, excluding=excluding)
    if read is None:
        return History()
    (rows,) = read_together([read])
    return history_found(rows)


def commenter_history_read(
    commenter: Commenter, *, excluding: int | None = None
) -> tuple[str, list] | None:
    """``commenter_history``'s SQL and parameters; None for a guest without an address."""
    where = commenter.comments_where()
    if where is None:
        return None
    who, params = where
    if excluding is not None:
        who, params = f"{who} AND id <> %s", [*params, excluding]
    return (
        "SELECT COALESCE(SUM(CASE WHEN status = %s THEN 1 ELSE 0 END), 0) AS approved,"  # noqa: S608
        " COALESCE(SUM(CASE WHEN status = %s THEN 1 ELSE 0 END), 0) AS spam"
        f" FROM {Comment._meta.db_table} WHERE {who}",
        [CommentStatus.APPROVED, CommentStatus.SPAM, *params],
    )


def history_found(rows: list[tuple]) -> History:
    """``commenter_history_read``'s one row as a ``History``."""
    ((approved, spam),) = rows
    return History(approved, spam)


def commenter_is_trusted(commenter: Commenter, history: History, *, user=None) -> bool:
    """Staff are trusted; anyone else after ``TRUSTED_AFTER`` approved comments and no spam,
    a guest only with a confirmed e-mail address. ``TRUSTED_AFTER = 0`` lets nobody earn it."""
    if user is not None and getattr(user, "is_staff", False):
        return True
    needed = settings.TRUSTED_AFTER
    if needed <= 0 or history.spam or history.approved < needed:
        return False
    if commenter.user_id is not None:
        return True
    return bool(commenter.email) and (
        Subscription.objects.filter(email=commenter.email, is_confirmed=True).exists()
    )
