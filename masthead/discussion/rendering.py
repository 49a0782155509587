"""What the discussion templates are given, for whole pages and for htmx fragments alike.

One cookie makes a page personal, and only for the reader who has it: ``masthead_fresh``, a
signed record of the comments this browser wrote in the last day (so their author can edit them
and see them while they await moderation) and, only when the reader ticked "Remember", their name,
e-mail and website. The page cache passes by requests that carry it.
"""

from django.conf import settings
from django.core import signing

from masthead.discussion import selectors
from masthead.discussion.forms import CommentForm
from masthead.discussion.models import comments_open_for

FRESH_COOKIE = "masthead_fresh"
FRESH_SALT = "masthead.discussion.fresh"
AUTHORED_KEEP = 20


def read_fresh(request) -> dict:
    value = request.COOKIES.get(FRESH_COOKIE)
    if not value:
        return {}
    try:
        found = signing.loads(value, salt=FRESH_SALT)
    except signing.BadSignature:
        return {}
    return found if isinstance(found, dict) else {}


def write_fresh(request, response, *, comment_pk: int, who: dict | None) -> None:
    """Remember the new comment (and the commenter, if asked) in the reader's browser."""
    ids = [comment_pk, *authored_ids(request)][:AUTHORED_KEEP]
    value = signing.dumps({"ids": ids, "who": who or {}}, salt=FRESH_SALT, compress=True)
    response.set_cookie(
        FRESH_COOKIE,
        value,
        max_age=(365 if who else 1) * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def authored_ids(request) -> list[int]:
    return [pk for pk in read_fresh(request).get("ids", []) if isinstance(pk, int)]


def remembered_commenter(request) -> dict:
    who = read_fresh(request).get("who") or {}
    return {key: str(who[key]) for key in ("name", "email", "url") if key in who}


def viewer_for(
    request, *, seen: int | None = None, also_wrote: int | None = None
) -> selectors.Viewer:
    user = getattr(request, "user", None)
    return selectors.Viewer(
        user=user if user is not None and user.is_authenticated else None,
        authored_ids=frozenset([*authored_ids(request), *([also_wrote] if also_wrote else [])]),
        seen=seen,
    )


def new_form(request, post, *, parent_number: int | None = None) -> CommentForm:
    remembered = remembered_commenter(request)
    initial = {**remembered, "remember": bool(remembered), "parent": parent_number}
    return CommentForm(post=post, user=getattr(request, "user", None), initial=initial)


def form_context(request, post, *, form=None, reply_to=None, preview_html: str = "") -> dict:
    if form is None:
        form = new_form(request, post, parent_number=reply_to.number if reply_to else None)
    parent_number = _int(form["parent"].value())
    if reply_to is None and parent_number:
        reply_to = selectors.comment_get(post=post, number=parent_number)
    form_id = f"reply-form-{reply_to.number}" if reply_to else "respond"
    form.auto_id = f"{form_id}-%s"
    return {
        "post": post,
        "form": form,
        "reply_to": reply_to,
        "form_id": form_id,
        "preview_html": preview_html,
        "comments_open": post.is_published and comments_open_for(post),
        "sort": _sort(request),
    }


def discussion_context(
    request,
    post,
    *,
    form=None,
    preview_html: str = "",
    focus: int | None = None,
    seen: int | None = None,
    page: int | None = None,
    also_wrote: int | None = None,
) -> dict:
    """The whole discussion: thread, page, sort, form, and the live-update poller."""
    sort = _sort(request)
    viewer = viewer_for(request, seen=seen, also_wrote=also_wrote)
    thread = selectors.comment_tree_for_post(
        post=post, viewer=viewer, page=page or _page(request), sort=sort
    )
    number = selectors.comment_page_number(thread, focus) if focus is not None else None
    if number is not None and number != thread.page.number:
        thread.page = thread.page.paginator.get_page(number)
    reply_to = None
    if form is None and _int(request.GET.get("replyto")):
        reply_to = thread.nodes_by_number.get(_int(request.GET.get("replyto")))
        reply_to = reply_to.comment if reply_to and not reply_to.is_placeholder else None
    return {
        **form_context(request, post, form=form, reply_to=reply_to, preview_html=preview_html),
        "thread": thread,
        "focus": focus if number is not None else None,
        "poll_seconds": settings.COMMENT_POLL_SECONDS,
        "marker": thread.marker,
        "after": thread.latest_number,
        "new_count": 0,
        "slug": post.slug,
    }


def _sort(request) -> str:
    value = request.POST.get("csort") or request.GET.get("csort")
    return value if value in selectors.SORTS else "oldest"


def _page(request) -> int:
    return _int(request.POST.get("cpage") or request.GET.get("cpage")) or 1


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None
