"""The hook that decides a new or edited comment's status.

``settings.COMMENT_PIPELINE`` names a function ``decide(comment, context) -> Decision``. The
comment is not saved yet (no number, no primary key); ``context`` carries what only the request
knows. Discussion never imports moderation: moderation points the setting at its own phases.

The default, until moderation exists: a post whose comments are closed rejects with 403, a
filled-in honeypot rejects with 400, and everything else is approved.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from masthead.discussion.models import CommentStatus, comments_open_for

REJECTED = "rejected"


@dataclass(frozen=True, kw_only=True)
class SubmissionContext:
    """What the request knew: where it came from and how the form was filled in."""

    post: Any
    user: Any = None
    ip_address: str | None = None
    user_agent: str = ""
    form_age_seconds: float | None = None
    honeypot: str = ""
    is_edit: bool = False
    # SQL that finds this comment stored already: a pipeline that reads the database may read
    # it with its own reads, and refuse a duplicate before it counts it (``Decision``).
    duplicate_read: tuple[str, list] | None = None


@dataclass(frozen=True)
class Decision:
    """A comment's status and why. ``REJECTED`` stores nothing and tells the commenter
    ``message`` with ``http_status``."""

    status: str
    reason: str = ""
    spam_score: float | None = None
    message: str = ""
    http_status: int = 400
    # What ``context.duplicate_read`` found; None if the pipeline did not read it.
    is_duplicate: bool | None = None
    # The step of the pipeline that decided, and the rows it asks to be stored with the comment
    # in its transaction (moderation's audit entry): new rows of other models that point at it.
    phase: str = ""
    along: tuple = ()

    @classmethod
    def reject(cls, message: str, *, reason: str, http_status: int = 400) -> "Decision":
        return cls(REJECTED, reason=reason, message=message, http_status=http_status)

    @property
    def is_rejected(self) -> bool:
        return self.status == REJECTED


def default_decision(comment, context: SubmissionContext) -> Decision:
    if not comments_open_for(context.post):
        return Decision.reject(
            "Comments are closed on this post.", reason="closed", http_status=403
        )
    if context.honeypot.strip():
        return Decision.reject("Your comment could not be posted.", reason="honeypot")
    return Decision(CommentStatus.APPROVED)


def decide(comment, context: SubmissionContext) -> Decision:
    return import_string(settings.COMMENT_PIPELINE)(comment, context)
