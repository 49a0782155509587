"""A post's discussion: the public thread, and writing through the same rules as the form.

A new comment goes through discussion's ``comment_submit``, so through the moderation pipeline
that ``settings.COMMENT_PIPELINE`` names, with what the request knows. There is no form, so
the pipeline's signed-timestamp and honeypot phases have nothing to judge (``form_age_seconds``
is None, the honeypot empty). Anyone may comment, as on the site, within
``API_COMMENT_RATE_LIMIT`` a minute per address (or per token).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from ninja import Path, Query, Router, Status

from masthead.api.auth import (
    ApiTokenAuth,
    CommentEditToken,
    comment_edit_token,
    request_token,
    require_scope,
)
from masthead.api.errors import ApiError
from masthead.api.models import ApiScope, ApiToken
from masthead.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, sequence_page
from masthead.api.routers import WRITE_ERRORS, answers
from masthead.api.schemas import (
    CommentCreatedOut,
    CommentEditIn,
    CommentIn,
    CommentOwnOut,
    CommentThreadOut,
    Slug,
    absolute,
)
from masthead.core import ratelimit
from masthead.discussion import selectors, services
from masthead.discussion.exceptions import (
    CommentDuplicateError,
    CommentEmptyError,
    CommentError,
    CommentNotEditableError,
    CommentParentInvalidError,
    CommentsClosedError,
    CommentTooLongError,
)
from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.pipeline import SubmissionContext

router = Router(tags=["comments"])
EDITORS = [CommentEditToken(), ApiTokenAuth(ApiScope.COMMENT)]
Number = Path(..., ge=1, le=2_147_483_647)
check_url = URLValidator(schemes=["http", "https"])


def _post(slug: str):
    post = selectors.post_for_discussion(slug=slug)
    if post is None:
        raise ApiError(404, f"No published post {slug!r}.")
    return post


def _permalink(post, number: int) -> str:
    return absolute(f"{post.get_absolute_url()}#comment-{number}")


@router.get(
    "/posts/{slug}/comments",
    response=answers({200: CommentThreadOut}),
    summary="A post's approved comments, as a tree",
)
def comment_thread(
    request,
    slug: Slug,
    cursor: str = Query(None, max_length=2000),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    """Top-level comments oldest first, each with its replies nested (as deep as the site shows
    them; deeper replies sit beside their parent, and ``parent`` names the comment answered).
    A comment no longer shown but with replies stays as a placeholder with only its number."""
    post = _post(slug)
    thread = selectors.comment_tree_for_post(post=post, viewer=selectors.Viewer())
    roots = thread.page.paginator.object_list
    numbers = {node.comment.pk: number for number, node in thread.nodes_by_number.items()}
    page = sequence_page(
        roots,
        cursor=cursor,
        limit=limit,
        name=f"comments.{post.pk}",
        key=lambda n: n.comment.number,
    )
    return {
        "post": post.slug,
        "comment_count": thread.visible_count,
        "items": [_node(post, node, numbers) for node in page.items],
        "next_cursor": page.next_cursor,
    }


def _node(post, node, numbers: dict[int, int]) -> dict:
    comment = node.comment
    shown = not node.is_placeholder
    return {
        "number": comment.number,
        "parent": numbers.get(comment.parent_id),
        "mention_of": node.mention.comment.number if shown and node.mention else None,
        "is_placeholder": node.is_placeholder,
        "author": {"name": comment.name, "url": comment.url} if shown else None,
        "body_html": comment.body_html if shown else None,
        "created_at": comment.created_at if shown else None,
        "edited_at": comment.edited_at if shown else None,
        "permalink": _permalink(post, comment.number) if shown else None,
        "replies": [_node(post, child, numbers) for child in node.children],
    }


@router.post(
    "/posts/{slug}/comments",
    response=answers({201: CommentCreatedOut}, WRITE_ERRORS),
    summary="Comment on a post",
)
def comment_create(request, slug: Slug, payload: CommentIn):
    """Without a token, as a guest: ``name`` and ``email`` are required, and the answer carries
    an ``edit_token``. With a comment-scope token, as its user. ``state`` says whether the
    comment is published or held for a moderator."""
    token = request_token(request)
    _limit_comments(request, token)
    post = _post(slug)
    if token is not None:
        require_scope(token, ApiScope.COMMENT)
    identity = {"user": token.user} if token is not None else _guest(payload)
    parent = None
    if payload.parent is not None:
        parent = selectors.comment_get(post=post, number=payload.parent)
        if parent is None or not parent.is_approved:
            raise ApiError(422, fields={"parent": f"No comment #{payload.parent} to reply to."})
    try:
        comment = services.comment_submit(
            post=post,
            body=payload.body,
            parent=parent,
            wants_replies=payload.wants_replies,
            context=_context(request, post, identity.get("user")),
            **identity,
        )
    except CommentError as error:
        raise _comment_error(error) from error
    answer = _own(post, comment)
    answer["edit_token"] = comment_edit_token(comment.pk) if token is None else None
    return Status(201, answer)


def _limit_comments(request, token: ApiToken | None) -> None:
    key = (
        f"api-comment:token:{token.pk}"
        if token
        else f"api-comment:ip:{ratelimit.client_ip(request)}"
    )
    found = ratelimit.hit(key, settings.API_COMMENT_RATE_LIMIT, 60)
    if not found.allowed:
        raise ApiError(
            429,
            "Too many comments from here; wait a little.",
            headers={"Retry-After": str(found.retry_after)},
        )


def _guest(payload: CommentIn) -> dict:
    name = " ".join((payload.name or "").split())
    email = (payload.email or "").strip()
    url = (payload.url or "").strip()
    problems = {}
    if not name:
        problems["name"] = "Please give a name to sign your comment with."
    try:
        validate_email(email)
    except ValidationError:
        problems["email"] = "Please give a valid e-mail address. It is never shown."
    if url:
        try:
            check_url(url)
        except ValidationError:
            problems["url"] = "A website is an http:// or https:// address."
    if problems:
        raise ApiError(422, fields=problems)
    return {"name": name, "email": email, "url": url}


def _context(request, post, user, *, is_edit: bool = False) -> SubmissionContext:
    return SubmissionContext(
        post=post,
        user=user,
        ip_address=ratelimit.client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
        form_age_seconds=None,
        honeypot="",
        is_edit=is_edit,
    )


def _comment_error(error: CommentError) -> ApiError:
    if isinstance(error, (CommentEmptyError, CommentTooLongError)):
        return ApiError(422, fields={"body": error.message})
    if isinstance(error, CommentParentInvalidError):
        return ApiError(422, fields={"parent": error.message})
    if isinstance(error, CommentDuplicateError):
        return ApiError(409, error.message, code="duplicate")
    if isinstance(error, CommentsClosedError):
        return ApiError(403, error.message, code="comments_closed")
    if isinstance(error, CommentNotEditableError):
        return ApiError(403, error.message, code="not_editable")
    status = error.http_status if error.http_status in (400, 403, 409, 429) else 400
    return ApiError(status, error.message, code="rejected")


def _own(post, comment: Comment) -> dict:
    states = {CommentStatus.APPROVED: "published", CommentStatus.REMOVED: "deleted"}
    return {
        "number": comment.number,
        "state": states.get(comment.status, "held"),
        "body_html": comment.body_html,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "permalink": _permalink(post, comment.number),
        "edit_until": comment.edit_deadline,
    }


def _editable(request, slug: str, number: int) -> tuple:
    post = _post(slug)
    comment = selectors.comment_get(post=post, number=number)
    if comment is None:
        raise ApiError(404, f"No comment #{number} on this post.")
    if isinstance(request.auth, ApiToken):
        return post, comment, {"user": request.auth.user}
    return post, comment, {"authored_ids": request.auth}


@router.patch(
    "/posts/{slug}/comments/{number}",
    auth=EDITORS,
    response=answers({200: CommentOwnOut}, WRITE_ERRORS),
    summary="Change one's own comment within the edit window",
)
def comment_edit(request, slug: Slug, payload: CommentEditIn, number: int = Number):
    post, comment, who = _editable(request, slug, number)
    try:
        services.comment_edit(
            comment=comment,
            body=payload.body,
            context=_context(request, post, who.get("user"), is_edit=True),
            **who,
        )
    except CommentError as error:
        raise _comment_error(error) from error
    return _own(post, comment)


@router.delete(
    "/posts/{slug}/comments/{number}",
    auth=EDITORS,
    response=answers({204: None}, WRITE_ERRORS),
    summary="Delete one's own comment within the edit window",
)
def comment_delete(request, slug: Slug, number: int = Number):
    """Its number stays taken; replies keep their place under a placeholder."""
    _, comment, who = _editable(request, slug, number)
    try:
        services.comment_delete(comment=comment, **who)
    except CommentError as error:
        raise _comment_error(error) from error
    return Status(204, None)
