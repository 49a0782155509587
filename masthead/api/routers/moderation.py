"""The moderators' queue and decisions, for tokens with the moderate scope.

These are the only answers that show a commenter's e-mail, address and user agent, the spam
score and the reason for a decision. A decision changes the status through discussion's
``comment_status_set`` (so counts, purges and reply e-mails follow), and a verdict of spam, or
of good on a held or spam comment, teaches the spam model at once.
"""

from typing import Literal

from django.db import transaction
from ninja import Path, Query, Router

from masthead.api.auth import ApiTokenAuth
from masthead.api.errors import ApiError
from masthead.api.models import ApiScope
from masthead.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page, page_schema
from masthead.api.routers import WRITE_ERRORS, answers
from masthead.api.schemas import ModerationActionIn, ModerationCommentOut, Slug
from masthead.discussion import services as discussion
from masthead.discussion.models import Comment, CommentStatus
from masthead.moderation.services import spam_learn

router = Router(tags=["moderation"], auth=ApiTokenAuth(ApiScope.MODERATE))
ModerationPage = page_schema(ModerationCommentOut)
ERRORS = (400, 401, 403, 404, 422, 429)
CommentId = Path(..., ge=1, le=2**63 - 1)
POST_FILTER = Query(None, description="Only this post's comments (its slug).")
Action = Literal["approve", "spam", "remove"]
VERDICTS = {
    "approve": (CommentStatus.APPROVED, "approved"),
    "spam": (CommentStatus.SPAM, "marked spam"),
    "remove": (CommentStatus.REMOVED, "removed"),
}


def _comments():
    return Comment.objects.select_related("post", "parent", "user")


def _comment(pk: int) -> Comment:
    comment = _comments().filter(pk=pk).first()
    if comment is None:
        raise ApiError(404, f"No comment with id {pk}.")
    return comment


@router.get(
    "/moderation/comments",
    response=answers({200: ModerationPage}, ERRORS),
    summary="The moderation queue (moderate scope)",
)
def moderation_queue(
    request,
    status: Literal["pending", "approved", "spam", "removed"] = "pending",
    post: Slug = POST_FILTER,
    cursor: str = Query(None, max_length=2000),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    """Comments in one status, newest first; by default those awaiting a decision."""
    comments = _comments().filter(status=status)
    if post:
        comments = comments.filter(post__slug=post)
    page = keyset_page(
        comments, ordering=("-created_at", "-id"), cursor=cursor, limit=limit, name="moderation"
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get(
    "/moderation/comments/{comment_id}",
    response=answers({200: ModerationCommentOut}, ERRORS),
    summary="One comment with everything moderators see (moderate scope)",
)
def moderation_comment(request, comment_id: int = CommentId):
    return _comment(comment_id)


@router.post(
    "/moderation/comments/{comment_id}/{action}",
    response=answers({200: ModerationCommentOut}, WRITE_ERRORS),
    summary="Approve, mark spam or remove a comment (moderate scope)",
)
def moderation_decide(
    request,
    action: Action,
    payload: ModerationActionIn | None = None,
    comment_id: int = CommentId,
):
    """``approve`` publishes; ``spam`` hides and teaches the spam model; ``remove`` takes it
    down (with replies it stays a placeholder). ``reason`` is kept with the decision."""
    comment = _comment(comment_id)
    status, verb = VERDICTS[action]
    before = comment.status
    note = payload.reason.strip() if payload is not None else ""
    reason = note or f"{verb} by {request.auth.user.get_username()}"
    with transaction.atomic():
        discussion.comment_status_set(comment=comment, status=status, reason=reason)
        _learn(comment, before=before, after=status)
    return _comment(comment_id)


def _learn(comment: Comment, *, before: str, after: str) -> None:
    fields = {
        "body": comment.body,
        "name": comment.name,
        "email": comment.email,
        "url": comment.url,
    }
    if after == CommentStatus.SPAM and before != CommentStatus.SPAM:
        spam_learn(**fields, is_spam=True)
    elif after == CommentStatus.APPROVED and before in (CommentStatus.SPAM, CommentStatus.PENDING):
        spam_learn(**fields, is_spam=False)
