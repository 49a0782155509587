"""Reply e-mails, and the confirmation a guest's address needs before it gets any.

A commenter who ticked "Email me replies" hears about a reply to one of their comments: a
reply made with Reply, or an opening "@Name:" the resolver linked to them. Guests confirm their
address first (signed-in readers already have). Each address gets at most one e-mail per post per
hour; replies inside that hour are not queued for later. Every e-mail carries a signed one-click
unsubscribe link (RFC 8058 headers included). When the mail server is down, nothing is marked
sent: the addresses that missed their e-mail are handed back to the task, which tries again later.
"""

import datetime
from collections.abc import Collection

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from masthead.discussion.models import Comment, CommentStatus, Subscription

NOTIFY_EVERY = datetime.timedelta(hours=1)
CONFIRM_SALT = "masthead.discussion.confirm"
UNSUBSCRIBE_SALT = "masthead.discussion.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600


def subscription_token(subscription: Subscription, *, salt: str) -> str:
    return signing.dumps([subscription.pk, subscription.email], salt=salt)


def subscription_from_token(
    token: str, *, salt: str, max_age: int | None = None
) -> Subscription | None:
    try:
        pk, email = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Subscription.objects.select_related("post").filter(pk=pk, email=email).first()


def unsubscribe_url(subscription: Subscription) -> str:
    token = subscription_token(subscription, salt=UNSUBSCRIBE_SALT)
    return settings.SITE_URL + reverse("discussion:unsubscribe", kwargs={"token": token})


def confirmation_send(*, subscription_id: int) -> bool:
    subscription = Subscription.objects.select_related("post").filter(pk=subscription_id).first()
    if subscription is None or subscription.is_confirmed:
        return False
    token = subscription_token(subscription, salt=CONFIRM_SALT)
    context = {
        "post": subscription.post,
        "site_name": settings.SITE_NAME,
        "confirm_url": settings.SITE_URL + reverse("discussion:confirm", kwargs={"token": token}),
    }
    send_mail(
        f"Confirm reply e-mails for “{subscription.post.title}”",
        render_to_string("discussion/email/confirm.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
    )
    return True


class ReplyMailDeferredError(Exception):
    """The mail server refused or could not be reached for ``emails``; try them again later."""

    def __init__(self, emails: list[str]):
        super().__init__(f"Reply e-mail to {len(emails)} address(es) not sent yet.")
        self.emails = emails


def replies_notify(*, comment_id: int, emails: Collection[str] | None = None) -> int:
    """E-mail the authors ``comment_id`` answers (only ``emails``, when given); returns how many
    e-mails went out, or raises ``ReplyMailDeferredError`` naming those that could not be sent."""
    reply = (
        Comment.objects.select_related("post", "parent", "mention_of")
        .filter(pk=comment_id, status=CommentStatus.APPROVED)
        .first()
    )
    if reply is None:
        return 0
    answered = {}
    for target in (reply.parent, reply.mention_of):
        if target is not None and target.wants_replies and target.email not in ("", reply.email):
            answered.setdefault(target.email, target)
    sent, failed = 0, []
    for email, target in answered.items():
        if emails is not None and email not in emails:
            continue
        try:
            sent += _notify(reply, target)
        except OSError:  # smtplib's errors and refused connections alike
            failed.append(email)
    if failed:
        raise ReplyMailDeferredError(failed)
    return sent


def _notify(reply: Comment, target: Comment) -> bool:
    subscription = Subscription.objects.filter(
        post_id=reply.post_id, email=target.email, is_confirmed=True, unsubscribed_at=None
    ).first()
    if subscription is None:
        return False
    now = timezone.now()
    claimed = (
        Subscription.objects.filter(pk=subscription.pk)
        .filter(Q(last_notified_at=None) | Q(last_notified_at__lte=now - NOTIFY_EVERY))
        .update(last_notified_at=now)
    )
    if not claimed:
        return False
    unsubscribe = unsubscribe_url(subscription)
    context = {
        "reply": reply,
        "target": target,
        "post": reply.post,
        "site_name": settings.SITE_NAME,
        "reply_url": settings.SITE_URL + reply.get_absolute_url(),
        "unsubscribe_url": unsubscribe,
    }
    message = EmailMessage(
        f"{reply.name} replied to your comment on “{reply.post.title}”",
        render_to_string("discussion/email/reply.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    try:
        message.send()
    except OSError:
        # Hand the hour back, so the retry is not taken for an e-mail already sent.
        Subscription.objects.filter(pk=subscription.pk, last_notified_at=now).update(
            last_notified_at=subscription.last_notified_at
        )
        raise
    return True
