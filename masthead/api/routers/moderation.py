"""The moderators' queue and decisions, for tokens with the moderate scope.

These are the only answers that show a commenter's e-mail, address and user agent, the spam
score and the reason for a decision. Decisions go through moderation's ``comment_moderate``, the
same entry point as the moderators' pages: the row is locked, the spam model learns from the
verdict, open reports are resolved, and the decision is audited under the token's user.
"""

from typing import Literal

from ninja import Path, Query, Router

from masthead.api.auth import ApiTokenAuth
from masthead.api.errors import ApiError
from masthead.api.models import ApiScope
from masthead.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page, page_schema
from masthead.api.routers import WRITE_ERRORS, answers
from masthead.api.schemas import ModerationActionIn, ModerationCommentOut, Slug
from masthead.discussion.models import Comment
from masthead.moderation import services as moderation
from masthead.moderation.exceptions import ModerationError

router = Router(tags=["moderation"], auth=ApiTokenAuth(ApiScope.MODERATE))
ModerationPage = page_schema(ModerationCommentOut)
ERRORS = (400, 401, 403, 404, 422, 429)
CommentId = Path(..., ge=1, le=2**63 - 1)
POST_FILTER = Query(None, description="Only this post's comments (its slug).")
Action = Literal["approve", "spam", "remove", "restore", "ban"]


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
    summary="Approve, mark spam, remove, restore, or ban the commenter (moderate scope)",
)
def moderation_decide(
    request,
    action: Action,
    payload: ModerationActionIn | None = None,
    comment_id: int = CommentId,
):
    """``approve`` publishes; ``spam`` hides and teaches the spam model; ``remove`` takes it
    down (with replies it stays a placeholder); ``restore`` puts back a spam or removed comment
    as it was; ``ban`` removes it and bans its commenter's account, else e-mail, else address.
    ``reason`` is kept with the decision."""
    _comment(comment_id)
    try:
        moderation.comment_moderate(
            comment_id=comment_id,
            action=action,
            actor=request.auth.user,
            note=payload.reason if payload is not None else "",
        )
    except ModerationError as error:
        raise ApiError(409, getattr(error, "message", str(error)), code="not_applicable") from error
    return _comment(comment_id)
