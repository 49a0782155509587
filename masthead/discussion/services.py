"""Every write to comments that carries a rule or a side effect.

Each service runs in one transaction. A new comment is numbered by the statement that stores
it, and the post's unique numbers turn away a number another comment took meanwhile, which is
then asked again. A new comment that changes more than its own row takes a row lock on its post,
and ``Post.comment_count`` (approved comments) is recounted in the same transaction; the
``comment_visibility_changed`` signal and reply e-mails go out only once it has committed.
"""

import dataclasses
import datetime
import sys
import time
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from masthead.core import database
from masthead.core.markdown import render_comment
from masthead.discussion import mentions, pipeline
from masthead.discussion.exceptions import (
    CommentBusyError,
    CommentDuplicateError,
    CommentEmptyError,
    CommentNotEditableError,
    CommentParentInvalidError,
    CommentRejectedError,
    CommentsClosedError,
    CommentTooLongError,
)
from masthead.discussion.models import Comment, CommentStatus, Subscription, comments_open_for
from masthead.discussion.signals import comment_visibility_changed
from masthead.publishing.models import Post

DUPLICATE_WINDOW = datetime.timedelta(minutes=10)
CONFIRMATION_RESEND_AFTER = datetime.timedelta(days=1)
# Times a new comment asks for the post's next number when other comments keep taking it first.
NUMBER_TRIES = 20
PURGE_EVERY_SECONDS = 3600
# How often one process asks the shared cache whether the purge is due (see below).
PURGE_ASK_EVERY_SECONDS = 60
_purge_next_ask = 0.0


def comment_submit(
    *,
    post: Post,
    body: str,
    context: pipeline.SubmissionContext,
    name: str = "",
    email: str = "",
    url: str = "",
    parent: Comment | None = None,
    user: Any = None,
    wants_replies: bool = False,
) -> Comment:
    """Store a reader's new comment, or raise a ``CommentError`` and store nothing."""
    body = comment_body_clean(body)
    if not post.is_published:
        raise CommentsClosedError("This post is not published.")
    if not comments_open_for(post):
        raise CommentsClosedError("Comments are closed on this post.")
    if parent is not None and (parent.post_id != post.pk or not parent.is_approved):
        raise CommentParentInvalidError("The comment you replied to is no longer there.")
    if user is not None:
        name, email = user.get_full_name() or user.get_username(), user.email
    comment = Comment(
        post=post,
        parent=parent,
        user=user,
        name=name.strip(),
        email=email.strip().lower(),
        url=url.strip(),
        body=body,
        wants_replies=wants_replies and bool(email),
        ip_address=context.ip_address,
        user_agent=context.user_agent[:300],
    )
    # The phases read, score and count, and the body is rendered, before anything is written
    # and outside the post's lock, so comments on one post are moderated side by side; what
    # needs an order (numbers, a duplicate sent twice at once, the count) is settled as the row
    # is written. A pipeline that reads the database asks about duplicates with its own reads,
    # else they are asked here.
    duplicate = _duplicate_sql(comment)
    decision = pipeline.decide(comment, dataclasses.replace(context, duplicate_read=duplicate))
    if decision.is_duplicate is None and not decision.is_rejected:
        _check_not_duplicate(duplicate)
    _apply(comment, decision)
    comment.body_html = render_comment(body)
    if _stands_alone(comment):
        _link_mention(comment)
        _insert_numbered(comment, duplicate, along=decision.along, relaxed=_relaxed())
        _changed(comment, previous_status=None)
    else:
        with transaction.atomic():
            _lock_post(post, durable=settings.DB_DURABLE_COMMENTS)
            _link_mention(comment)
            _insert_numbered(comment, duplicate, along=decision.along)
            if comment.wants_replies:
                _subscribe(comment)
            _changed(comment, previous_status=None)
    _purge_personal_data_now_and_then()
    return comment


def _stands_alone(comment: Comment) -> bool:
    """A new comment that changes no other row (held or spam, so the count stands, and no
    subscription) is one statement on PostgreSQL, with no transaction around it: the BEGIN, the
    post's lock and the COMMIT were three of a comment POST's six round trips to PostgreSQL."""
    return (
        connection.vendor == "postgresql"
        and not comment.wants_replies
        and comment.status != CommentStatus.APPROVED
    )


def _relaxed() -> bool:
    """Whether a statement on its own may be answered before PostgreSQL flushes it (as
    ``_lock_post`` lets a transaction be); never inside a caller's transaction."""
    return not settings.DB_DURABLE_COMMENTS and not connection.in_atomic_block


def comment_body_clean(body: str) -> str:
    """The body as stored, or the error that stops it. NUL characters are dropped (PostgreSQL
    cannot store them and no reader typed one)."""
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise CommentEmptyError("Your comment is empty.")
    limit = settings.COMMENT_MAX_CHARS
    if len(body) > limit:
        raise CommentTooLongError(
            f"Your comment is {len(body):,} characters long; the limit is {limit:,}."
        )
    return body


def comment_is_authored_by(
    comment: Comment, *, user: Any = None, authored_ids: Collection[int] = ()
) -> bool:
    """A signed-in author by account; a guest by the signed list of ids their browser holds."""
    if comment.user_id is not None:
        return user is not None and user.is_authenticated and user.pk == comment.user_id
    return comment.pk in authored_ids


def comment_can_edit(
    comment: Comment,
    *,
    user: Any = None,
    authored_ids: Collection[int] = (),
    now: datetime.datetime | None = None,
) -> bool:
    return (
        comment.status in (CommentStatus.APPROVED, CommentStatus.PENDING)
        and (now or timezone.now()) < comment.edit_deadline
        and comment_is_authored_by(comment, user=user, authored_ids=authored_ids)
    )


def comment_edit(
    *,
    comment: Comment,
    body: str,
    context: pipeline.SubmissionContext,
    user: Any = None,
    authored_ids: Collection[int] = (),
) -> Comment:
    """Change the words of one's own comment inside the edit window."""
    _require_editable(comment, user=user, authored_ids=authored_ids)
    body = comment_body_clean(body)
    if body == comment.body:
        return comment
    previous = comment.status
    with transaction.atomic():
        comment.body = body
        decision = pipeline.decide(comment, context)
        _apply(comment, decision)
        comment.body_html = render_comment(body)
        comment.edited_at = timezone.now()
        _link_mention(comment)
        comment.save()
        for row in decision.along:
            database.insert(row)
        _changed(comment, previous_status=previous)
    return comment


def comment_delete(
    *, comment: Comment, user: Any = None, authored_ids: Collection[int] = ()
) -> Comment:
    """The author takes back their comment; its number stays taken."""
    _require_editable(comment, user=user, authored_ids=authored_ids)
    return comment_status_set(
        comment=comment, status=CommentStatus.REMOVED, reason="deleted by its author"
    )


def comment_remove(*, comment: Comment, reason: str = "removed by a moderator") -> Comment:
    return comment_status_set(comment=comment, status=CommentStatus.REMOVED, reason=reason)


def comment_status_set(
    *, comment: Comment, status: str, reason: str = "", spam_score: float | None = None
) -> Comment:
    """Change a comment's status (moderation's entry point): recount, signal, notify."""
    previous = comment.status
    with transaction.atomic():
        comment.status, comment.status_reason = status, reason
        if spam_score is not None:
            comment.spam_score = spam_score
        comment.save(update_fields=["status", "status_reason", "spam_score", "updated_at"])
        if previous != status:
            _changed(comment, previous_status=previous)
    return comment


def comment_import(
    *,
    post: Post,
    import_ref: str,
    name: str,
    body: str,
    created_at: datetime.datetime,
    email: str = "",
    url: str = "",
    parent: Comment | None = None,
    status: str = CommentStatus.APPROVED,
    status_reason: str = "",
) -> tuple[Comment, bool]:
    """Create or update one imported comment by its ``import_ref``; returns it and whether it is
    new. An empty body is kept (it holds its number) as removed, reason "empty". Call
    ``comment_count_refresh`` and ``mention_resolve_for_post`` once the batch is in."""
    body = (body or "").replace("\x00", "").strip()
    if not body:
        status, status_reason = CommentStatus.REMOVED, "empty"
    url = url.strip()
    values = {
        "name": " ".join(name.split())[:80] or "Anonymous",
        "email": email.strip().lower()[:254],
        "url": url if len(url) <= 300 and url.lower().startswith(("http://", "https://")) else "",
        "body": body,
        "body_html": render_comment(body),
        "created_at": created_at,
        "parent": parent,
        "status": status,
        "status_reason": status_reason,
    }
    with transaction.atomic():
        _lock_post(post)
        comment = Comment.objects.filter(post=post, import_ref=import_ref).first()
        if comment is None:
            comment = Comment(post=post, import_ref=import_ref)
            previous = None
        elif all(getattr(comment, field) == value for field, value in values.items()):
            return comment, False
        else:
            previous = comment.status
        for field, value in values.items():
            setattr(comment, field, value)
        if previous is None:  # a held comment posted meanwhile takes no lock (_stands_alone)
            _insert_numbered(comment)
        else:
            comment.save()
        _on_commit_signal(comment, previous)
    return comment, previous is None


def comment_count_refresh(*, post: Post) -> int:
    """Store the post's count of approved comments (placeholders are not counted)."""
    count = Comment.objects.filter(post=post).approved().count()
    Post.objects.filter(pk=post.pk).update(comment_count=count)
    post.comment_count = count
    return count


def mention_resolve_for_post(*, post: Post) -> int:
    """Re-link every opening "@Name:" on the post; returns how many links changed."""
    with transaction.atomic():
        comments = list(
            Comment.objects.filter(post=post).only(
                "pk", "post_id", "number", "name", "email", "user_id", "status", "parent_id",
                "body", "mention_of_id", "mention_confidence",
            )
        )  # fmt: skip
        found = mentions.resolve_mentions([_candidate(c) for c in comments])
        changed, now = [], timezone.now()
        for comment in comments:
            match = found[comment.pk]
            target, confidence = (match.pk, match.confidence) if match else (None, None)
            if (comment.mention_of_id, comment.mention_confidence) != (target, confidence):
                comment.mention_of_id, comment.mention_confidence = target, confidence
                comment.updated_at = now  # the thread's marker must move: its links changed
                changed.append(comment)
        Comment.objects.bulk_update(changed, ["mention_of", "mention_confidence", "updated_at"])
        for comment in changed:
            _on_commit_signal(comment, comment.status)
    return len(changed)


def comment_personal_data_purge(*, now: datetime.datetime | None = None) -> int:
    """Forget the IP address and user agent of comments older than the retention period."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.COMMENT_IP_RETENTION_DAYS)
    stale = Comment.objects.filter(created_at__lt=cutoff).exclude(ip_address=None, user_agent="")
    return stale.update(ip_address=None, user_agent="")


def subscription_confirm(*, subscription: Subscription) -> Subscription:
    if not subscription.is_confirmed:
        subscription.is_confirmed = True
        subscription.unsubscribed_at = None
        subscription.save(update_fields=["is_confirmed", "unsubscribed_at"])
    return subscription


def subscription_cancel(*, subscription: Subscription) -> Subscription:
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


def _require_editable(comment: Comment, *, user: Any, authored_ids: Collection[int]) -> None:
    if not comment_is_authored_by(comment, user=user, authored_ids=authored_ids):
        raise CommentNotEditableError("Only the person who wrote a comment can change it.")
    if not comment_can_edit(comment, user=user, authored_ids=authored_ids):
        minutes = settings.COMMENT_EDIT_MINUTES
        raise CommentNotEditableError(
            f"Comments can be changed for {minutes} minutes after posting; this one no longer can."
        )


def _check_not_duplicate(duplicate: tuple[str, list]) -> None:
    """Raise if the ``duplicate`` read (``_duplicate_sql``) finds the comment stored already."""
    if _is_stored(duplicate):
        raise CommentDuplicateError()


def _is_stored(duplicate: tuple[str, list]) -> bool:
    sql, params = duplicate
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


def _duplicate_sql(comment: Comment) -> tuple[str, list]:
    """Asked twice for every comment posted, so it is SQL written here (like the other reads on
    the way in); only table names go into the SQL."""
    if comment.user_id is not None:
        who, params = "user_id = %s", [comment.user_id]
    else:
        who, params = "user_id IS NULL AND email = %s AND name = %s", [comment.email, comment.name]
    since = connection.ops.adapt_datetimefield_value(timezone.now() - DUPLICATE_WINDOW)
    return (
        f"SELECT 1 FROM {Comment._meta.db_table} WHERE post_id = %s AND body = %s"  # noqa: S608
        f" AND created_at >= %s AND status <> %s AND {who} LIMIT 1",
        [comment.post_id, comment.body, since, CommentStatus.REMOVED, *params],
    )


def _apply(comment: Comment, decision: pipeline.Decision) -> None:
    if decision.is_duplicate:
        raise CommentDuplicateError()
    if decision.is_rejected:
        error = CommentsClosedError if decision.http_status == 403 else CommentRejectedError
        raise error(decision.message, http_status=decision.http_status)
    comment.status, comment.status_reason = decision.status, decision.reason
    comment.spam_score = decision.spam_score


def _lock_post(post: Post, *, durable: bool = True) -> None:
    """Take the post's row lock (on SQLite the transaction's write lock already orders them).

    FOR NO KEY UPDATE, not FOR UPDATE: a comment stored without the lock (``_stands_alone``)
    still has its foreign key checked against the post row (FOR KEY SHARE), which FOR UPDATE
    would keep waiting; and a comment under the lock can wait for that comment's number, so
    each waited for the other, and PostgreSQL ended one as a deadlock.

    Not ``durable``: the same statement lets this transaction's commit return before
    PostgreSQL has flushed it to disk. The lock is held until the commit returns, so waiting
    for the disk under it kept every other comment on the post waiting as well: comment POSTs
    on one post went from 394 to 469 a second (docs/operations.md, "Durability")."""
    if connection.features.has_select_for_update:
        relax = "" if durable else ", set_config('synchronous_commit', 'off', true)"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id{relax} FROM {Post._meta.db_table} WHERE id = %s FOR NO KEY UPDATE",  # noqa: S608
                [post.pk],
            )


def _insert_numbered(
    comment: Comment,
    duplicate: tuple[str, list] | None = None,
    *,
    along=(),
    relaxed: bool = False,
) -> None:
    """Store the new comment with the post's next number (and the rows the pipeline asked for
    ``along`` with it), unless the ``duplicate`` read finds it stored since the first check:
    one statement, where every round trip to PostgreSQL keeps the next comment waiting.

    The number is the highest the statement sees plus one. A comment stored meanwhile that the
    statement could not see (PostgreSQL: committed after it began, by a comment not under the
    post's lock) holds that number, so nothing is written and the statement is asked again.
    ``relaxed``: the statement itself lets PostgreSQL answer before the disk has it."""
    found, params = duplicate or ("", [])
    table = Comment._meta.db_table
    number = f"(SELECT COALESCE(MAX(number), 0) + 1 FROM {table} WHERE post_id = %s)"  # noqa: S608
    conditions = [f"NOT EXISTS({found})"] if found else []
    if relaxed:
        conditions.append("set_config('synchronous_commit', 'off', true) = 'off'")
    condition = " AND ".join(conditions)
    for _ in range(NUMBER_TRIES):
        if database.insert_where(
            comment,
            computed={"number": (number, [comment.post_id])},
            condition=(condition, params),
            along=along,
            unless_taken=("post", "number"),
        ):
            return
        if duplicate is not None and _is_stored(duplicate):
            raise CommentDuplicateError()
    raise CommentBusyError(
        "Comments are arriving on this post faster than they can be numbered. "
        "Please send yours again."
    )


def _candidate(comment: Comment) -> mentions.Candidate:
    return mentions.Candidate(
        pk=comment.pk or 0,
        post_id=comment.post_id,
        number=comment.number if comment.number is not None else sys.maxsize,
        name=comment.name,
        commenter=mentions.commenter_key(
            user_id=comment.user_id, email=comment.email, name=comment.name
        ),
        is_approved=comment.is_approved,
        has_parent=comment.parent_id is not None,
        body=comment.body,
    )


def _link_mention(comment: Comment) -> None:
    """Resolve the new or edited comment's own mention against the comments before it (a new
    one, not yet numbered, comes after every comment stored)."""
    comment.mention_of_id, comment.mention_confidence = None, None
    if comment.parent_id is not None or mentions.mention_name(comment.body) is None:
        return
    earlier = Comment.objects.filter(post_id=comment.post_id, status=CommentStatus.APPROVED).only(
        "pk", "post_id", "number", "name", "email", "user_id", "status", "parent_id"
    )
    if comment.number is not None:
        earlier = earlier.filter(number__lt=comment.number)
    match = mentions.mention_target(_candidate(comment), [_candidate(c) for c in earlier])
    if match is not None:
        comment.mention_of_id, comment.mention_confidence = match.pk, match.confidence


def _subscribe(comment: Comment) -> None:
    subscription, _ = Subscription.objects.get_or_create(
        post_id=comment.post_id, email=comment.email
    )
    user = comment.user
    if user is not None and user.email and user.email.lower() == comment.email:
        subscription_confirm(subscription=subscription)
        return
    if subscription.unsubscribed_at is not None:
        subscription.is_confirmed, subscription.unsubscribed_at = False, None
        subscription.save(update_fields=["is_confirmed", "unsubscribed_at"])
    now = timezone.now()
    sent = subscription.confirmation_sent_at
    if not subscription.is_confirmed and (sent is None or sent < now - CONFIRMATION_RESEND_AFTER):
        subscription.confirmation_sent_at = now
        subscription.save(update_fields=["confirmation_sent_at"])
        from masthead.discussion import tasks

        transaction.on_commit(lambda: tasks.subscription_send_confirmation.enqueue(subscription.pk))


def _changed(comment: Comment, *, previous_status: str | None) -> None:
    """Recount, then after commit tell subscribers and send reply e-mails."""
    if CommentStatus.APPROVED in (comment.status, previous_status):  # else the count stands
        comment_count_refresh(post=comment.post)
    _on_commit_signal(comment, previous_status)
    became_visible = comment.is_approved and previous_status != CommentStatus.APPROVED
    if became_visible and (comment.parent_id or comment.mention_of_id):
        from masthead.discussion import tasks

        transaction.on_commit(lambda: tasks.comment_notify_replies.enqueue(comment.pk))


def _on_commit_signal(comment: Comment, previous_status: str | None) -> None:
    transaction.on_commit(
        lambda: comment_visibility_changed.send(
            sender=Comment,
            comment=comment,
            post_id=comment.post_id,
            previous_status=previous_status,
            status=comment.status,
        )
    )


def _purge_personal_data_now_and_then() -> None:
    """Queue the retention purge at most once an hour, so no cron job is needed.

    The shared cache decides which process queues it; each process asks at most once a minute,
    as on Redis the question was a round trip (0.2 ms) added to every comment posted."""
    global _purge_next_ask
    now = time.monotonic()
    if now < _purge_next_ask:
        return
    _purge_next_ask = now + PURGE_ASK_EVERY_SECONDS
    if cache.add("discussion:purge-queued", True, PURGE_EVERY_SECONDS):
        from masthead.discussion import tasks

        transaction.on_commit(lambda: tasks.comment_personal_data_purge_task.enqueue())
