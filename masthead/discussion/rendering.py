"""What the discussion templates are given, for whole pages and for htmx fragments alike.

One cookie makes a page personal, and only for the reader who has it: ``masthead_fresh``, a
signed record of the comments this browser wrote in the last day (so their author can edit them
and see them while they await moderation). The page cache passes by requests that carry it.
Only when the reader ticked "Remember" does ``masthead_commenter`` keep their name, e-mail and
website for a year; it leaves pages shared, since only the uncached comment form reads it.

A page that may be shared (no personal cookie) carries nothing of its reader: no CSRF token, no
remembered name. Its form arrives from ``/comments/<post>/form/``, which is never cached.
"""

import hashlib
from dataclasses import dataclass
from functools import cache as once
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from masthead.core import jinja, pagecache
from masthead.discussion import selectors
from masthead.discussion.forms import CommentForm, form_timestamp
from masthead.discussion.models import comments_open_for
from masthead.publishing.models import Post

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
        "appends_here": _appends_here(request),
    }


# Stand-ins for the two values a blank form has of its reader; neither can occur in its markup.
TOKEN_SLOT = "masthead-slot-csrf-token"  # noqa: S105 (a placeholder, not a secret)
STAMP_SLOT = "masthead-slot-timestamp"


def blank_form_html(request, post) -> str | None:
    """The blank comment form a guest the site does not remember gets, or None for anyone else.

    Such a form differs between readers only in its CSRF token and its signed timestamp, so it is
    drawn once per post and process with stand-ins for those two, which each request fills in:
    Django's form markup took 4 ms to draw, and every shared post page loads a form. A
    signed-in reader's form and a remembered commenter's are drawn every
    time, as are reply forms and forms with errors or a preview (callers do not ask for those).
    """
    user = getattr(request, "user", None)
    if (user is not None and user.is_authenticated) or remembered_commenter(request):
        return None
    html = _blank_form(post.pk, post.slug, _sort(request), _appends_here(request))
    return html.replace(TOKEN_SLOT, get_token(request)).replace(STAMP_SLOT, form_timestamp(post.pk))


@lru_cache(maxsize=512)
def _blank_form(post_pk: int, slug: str, sort: str, appends_here: bool) -> str:
    post = Post(pk=post_pk, slug=slug)
    form = CommentForm(post=post, initial={"timestamp": STAMP_SLOT, "remember": False})
    form.auto_id = "respond-%s"
    context = {
        "post": post,
        "form": form,
        "reply_to": None,
        "form_id": "respond",
        "preview_html": "",
        "sort": sort,
        "appends_here": appends_here,
        "csrf_token": TOKEN_SLOT,
    }
    return render_to_string("discussion/discussion.html#comment-form", context)


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
        # A new top-level comment lands on this page: its author can see it added in place.
        "appends_here": sort == "oldest" and bool(thread.nodes) and not thread.page.has_next(),
    }


def discussion_page_html(request, post) -> str:
    """The discussion under a post page. A page others may be shown gets its form (and CSRF
    token) after loading, and its discussion, the same for every such reader, is kept under the
    thread's marker: a new, edited or moderated comment moves the marker, so an entry can never
    be out of date and nothing has to purge it. It spares each page render the thread's rows,
    tree and markup, which grow with the thread (see docs/benchmarks.md)."""
    shared = is_shared(request)
    if not shared or not settings.THREAD_CACHE_SECONDS:
        return _discussion_page(request, post, form_deferred=shared)
    marker = selectors.comment_marker_for_post_id(post_id=post.pk)
    is_open = comments_open_for(post)
    key = (
        f"discussion:{_templates_stamp()}:{post.pk}:{post.slug}:{marker}:{int(is_open)}"
        f":{_sort(request)}:{_page(request)}"
    )
    html = cache.get(key)
    if html is None:
        html = _discussion_page(request, post, form_deferred=True)
        cache.set(key, html, settings.THREAD_CACHE_SECONDS)
    return html


def _discussion_page(request, post, *, form_deferred: bool) -> str:
    context = discussion_context(request, post)
    context["form_deferred"] = form_deferred
    return render_to_string("discussion/discussion.html#page", context, request=request)


@once
def _templates_stamp() -> str:
    """Changes when the thread's templates do, so an upgrade never serves old markup."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("templates/discussion/discussion.html", "jinja2/discussion/_comments.html"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:12]


def _sort(request) -> str:
    value = request.POST.get("csort") or request.GET.get("csort")
    return value if value in selectors.SORTS else "oldest"


def _appends_here(request) -> bool:
    return (request.POST.get("here") or request.GET.get("here")) == "1"


def _page(request) -> int:
    return _int(request.POST.get("cpage") or request.GET.get("cpage")) or 1


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@dataclass(frozen=True)
class CommentLinks:
    """A thread's addresses, reversed once per post instead of four times per comment."""

    base: str
    write: str
    report_base: str

    @classmethod
    def for_post(cls, post) -> "CommentLinks":
        # Reversing took 0.07 ms of the 0.26 ms it takes to draw a comment just posted.
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        return _comment_links(post.slug, get_script_prefix(), urlconf)

    @property
    def can_report(self) -> bool:
        return bool(self.report_base)

    def permalink(self, number: int) -> str:
        return f"{self.base}{number}/"

    def reply(self, number: int) -> str:
        return f"{self.base}{number}/reply/"

    def edit(self, number: int) -> str:
        return f"{self.base}{number}/edit/"

    def delete(self, number: int) -> str:
        return f"{self.base}{number}/delete/"

    def report(self, pk: int) -> str:
        return f"{self.report_base}{pk}/"


@lru_cache(maxsize=512)
def _comment_links(slug: str, script_prefix: str, urlconf: str) -> CommentLinks:
    try:
        report_base = _prefix(reverse("moderation:report", kwargs={"pk": 0}))
    except NoReverseMatch:  # moderation not installed: nothing to report to
        report_base = ""
    return CommentLinks(
        base=_prefix(reverse("discussion:permalink", args=[slug, 0])),
        write=reverse("discussion:write", args=[slug]),
        report_base=report_base,
    )


def _prefix(url: str) -> str:
    """``/comments/slug/0/`` -> ``/comments/slug/``: the address up to a number reversed as 0."""
    head, zero, _ = url.rpartition("/0/")
    if not zero:
        raise ValueError(f"{url} does not end in a number")
    return head + "/"


def comments_html(
    post, *, nodes=(), only=None, comments_open: bool = False, page_number: int | None = None
) -> str:
    """Comment markup for ``nodes`` (with their replies) or for the one node ``only``."""
    return jinja.render(
        "discussion/_comments.html",
        _comments_context(post, nodes, only, comments_open, page_number),
    )


def added_html(post, *, form_html: str, nodes, comments_open: bool) -> str:
    """The answer to a comment posted from the end of the thread: ``form_html`` in place of the
    reader's form, ``nodes`` added to the thread, and the count. Drawn by Jinja2 alone, as it
    is for every comment posted: through a Django partial it took 0.40 ms, now 0.26 ms."""
    return jinja.render(
        "discussion/_added.html",
        _comments_context(post, nodes, None, comments_open, None)
        | {"post": post, "form_html": form_html},
    )


def _comments_context(post, nodes, only, comments_open: bool, page_number: int | None) -> dict:
    return {
        "nodes": nodes,
        "only": only,
        "links": CommentLinks.for_post(post),
        "comments_open": comments_open,
        "page_number": page_number,
    }
