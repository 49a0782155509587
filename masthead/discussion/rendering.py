"""What the discussion templates are given, for whole pages and for htmx fragments alike.

One cookie makes a page personal, and only for the reader who has it: ``masthead_fresh``, a
signed record of the comments this browser wrote in the last day (so their author can edit them
and see them while they await moderation). The page cache passes by requests that carry it.
Only when the reader ticked "Remember" does ``masthead_commenter`` keep their name, e-mail and
website for a year; it leaves pages shared, since only the uncached comment form reads it.

A page that may be shared (no personal cookie) carries nothing of its reader: no CSRF token, no
remembered name. Its form arrives from ``/comments/<post>/form/``, which is never cached.
"""

from django.conf import settings
from django.core import signing

from masthead.core import pagecache
from masthead.discussion import selectors
from masthead.discussion.forms import CommentForm
from masthead.discussion.models import comments_open_for

FRESH_COOKIE = pagecache.FRESH_COOKIE
FRESH_SALT = "masthead.discussion.fresh"
COMMENTER_COOKIE = "masthead_commenter"
AUTHORED_KEEP = 20


def read_fresh(request, cookie: str = FRESH_COOKIE) -> dict:
    value = request.COOKIES.get(cookie)
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
    _set_signed(request, response, FRESH_COOKIE, {"ids": ids}, days=1)
    if who:
        _set_signed(request, response, COMMENTER_COOKIE, {"who": who}, days=365)
    elif COMMENTER_COOKIE in request.COOKIES:
        response.delete_cookie(COMMENTER_COOKIE, samesite="Lax")


def _set_signed(request, response, name: str, data: dict, *, days: int) -> None:
    response.set_cookie(
        name,
        signing.dumps(data, salt=FRESH_SALT, compress=True),
        max_age=days * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def is_shared(request) -> bool:
    """Whether this page may be cached and shown to other readers: nothing personal in it."""
    return not pagecache.is_personal(request.COOKIES)


def authored_ids(request) -> list[int]:
    return [pk for pk in read_fresh(request).get("ids", []) if isinstance(pk, int)]


def remembered_commenter(request) -> dict:
    who = read_fresh(request, COMMENTER_COOKIE).get("who") or {}
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
    return {
        **form_context(request, post, form=form, preview_html=preview_html),
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
