"""What Masthead keeps about one commenter, and forgetting it on request.

A commenter is found by address: guest comments carry it, signed-in comments belong to an
account that has it. Erasing keeps every comment's number (replies and "see #12" keep
meaning), so a comment is either anonymised as a former reader with its words kept, or, when
asked, turned into a removed placeholder with no words at all. Reply subscriptions go.
Running either again finds nothing left to change.
"""

import dataclasses
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet

from masthead.discussion import services
from masthead.discussion.models import Comment, CommentStatus, Subscription
from masthead.discussion.signals import comment_visibility_changed

FORMER_READER = "Former reader"
ERASED_REASON = "erased at the commenter's request"


class PrivacyEmailInvalidError(ValueError):
    pass


@dataclasses.dataclass(frozen=True)
class Erasure:
    comments: int
    subscriptions: int


def email_clean(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise PrivacyEmailInvalidError(f"{email!r} is not an e-mail address.") from None
    return email


def comments_of(email: str) -> QuerySet[Comment]:
    email = email_clean(email)
    return Comment.objects.filter(Q(email__iexact=email) | Q(user__email__iexact=email))


def subscriptions_of(email: str) -> QuerySet[Subscription]:
    return Subscription.objects.filter(email__iexact=email_clean(email))


def commenter_export(*, email: str) -> dict[str, Any]:
    """Everything stored about the commenter at ``email``, ready for ``json.dumps``."""
    comments = comments_of(email).select_related("post").order_by("created_at", "pk")
    subscriptions = subscriptions_of(email).select_related("post").order_by("created_at", "pk")
    return {
        "email": email_clean(email),
        "comments": [_comment_data(c) for c in comments],
        "reply_subscriptions": [_subscription_data(s) for s in subscriptions],
        "reports_filed": _reports_filed(email_clean(email)),
    }


def commenter_erase(*, email: str, delete: bool = False) -> Erasure:
    """Anonymise (or, with ``delete``, empty and remove) the commenter's comments and drop
    their subscriptions. Cached pages showing a changed comment are purged after commit."""
    with transaction.atomic():
        comments = list(comments_of(email).select_related("post").select_for_update(of=("self",)))
        for comment in comments:
            _erase(comment, delete=delete)
        subscriptions, _ = subscriptions_of(email).delete()
    return Erasure(comments=len(comments), subscriptions=subscriptions)


def _erase(comment: Comment, *, delete: bool) -> None:
    comment.name, comment.email, comment.url, comment.user = FORMER_READER, "", "", None
    comment.ip_address, comment.user_agent, comment.wants_replies = None, "", False
    if delete:
        comment.body, comment.body_html = "", ""
    comment.save()
    if delete and comment.status != CommentStatus.REMOVED:
        services.comment_remove(comment=comment, reason=ERASED_REASON)
        return
    status = comment.status
    transaction.on_commit(
        lambda: comment_visibility_changed.send(
            sender=Comment,
            comment=comment,
            post_id=comment.post_id,
            previous_status=status,
            status=status,
        )
    )


def _comment_data(comment: Comment) -> dict[str, Any]:
    return {
        "post_url": settings.SITE_URL + comment.post.get_absolute_url(),
        "number": comment.number,
        "name": comment.name,
        "email": comment.email,
        "url": comment.url,
        "body": comment.body,
        "status": comment.status,
        "wants_replies": comment.wants_replies,
        "created_at": _iso(comment.created_at),
        "edited_at": _iso(comment.edited_at),
        "ip_address": comment.ip_address,
        "user_agent": comment.user_agent,
    }


def _subscription_data(subscription: Subscription) -> dict[str, Any]:
    return {
        "post_url": settings.SITE_URL + subscription.post.get_absolute_url(),
        "is_confirmed": subscription.is_confirmed,
        "created_at": _iso(subscription.created_at),
        "last_notified_at": _iso(subscription.last_notified_at),
        "unsubscribed_at": _iso(subscription.unsubscribed_at),
    }


def _reports_filed(email: str) -> list[dict[str, Any]]:
    """Reports made from an account with this address. A guest's report stores only a keyed
    hash of their IP address, which no address leads back to."""
    if not apps.is_installed("masthead.moderation"):
        return []
    report_model = apps.get_model("moderation", "Report")
    reports = report_model.objects.filter(reporter__email__iexact=email).select_related(
        "comment__post"
    )
    return [
        {
            "comment_url": settings.SITE_URL + r.comment.get_absolute_url(),
            "reason": r.reason,
            "detail": r.detail,
            "created_at": _iso(r.created_at),
        }
        for r in reports
    ]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
