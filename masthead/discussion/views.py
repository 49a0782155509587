"""Posting, replying, editing and following a discussion, with and without JavaScript.

Every view answers a plain request with a whole page (or a redirect) and an htmx request
(``HX-Request``) with the fragment it swaps; both come from the same templates' partials.

The post page a reader shares with others (see ``rendering.is_shared``) is cached whole, so
nothing in it is per reader: its comment form comes from ``comment_form_fragment`` once the page
has loaded, and a reader without JavaScript writes on ``comment_write``'s page instead. Every
view here that draws a form (and so a CSRF token) is ``never_cache``.
"""

import json

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masthead.core.markdown import render_comment
from masthead.core.ratelimit import client_ip
from masthead.discussion import notifications, rendering, selectors, services
from masthead.discussion.exceptions import CommentError
from masthead.discussion.forms import CommentEditForm, CommentForm
from masthead.discussion.models import Comment, CommentStatus, comments_open_for
from masthead.discussion.pipeline import SubmissionContext
from masthead.discussion.rendering import (
    discussion_context,
    form_context,
    viewer_for,
    write_fresh,
)

TEMPLATE = "discussion/discussion.html"
WRITE_TEMPLATE = "discussion/comment_write.html"


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _post_or_404(slug: str):
    post = selectors.post_for_discussion(slug=slug)
    if post is None:
        raise Http404("No such post")
    return post


def _comment_or_404(post, number: int) -> Comment:
    comment = selectors.comment_get(post=post, number=number)
    if comment is None:
        raise Http404("No such comment")
    return comment


def _context(request, post, *, form=None, is_edit: bool = False) -> SubmissionContext:
    return SubmissionContext(
        post=post,
        user=request.user if request.user.is_authenticated else None,
        ip_address=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
        form_age_seconds=getattr(form, "age_seconds", None),
        honeypot=form.cleaned_data.get("homepage", "") if form is not None else "",
        is_edit=is_edit,
    )


def _fragment(request, partial: str, context: dict, *, status: int = 200) -> HttpResponse:
    return _fragment_response(_partial_html(request, partial, context), status=status)


def _partial_html(request, partial: str, context: dict) -> str:
    return render_to_string(f"{TEMPLATE}#{partial}", context, request=request)


def _fragment_response(html: str, *, status: int = 200) -> HttpResponse:
    """A fragment for htmx: the same address answers a plain request with a whole page."""
    response = HttpResponse(html, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _discussion_response(request, post, *, focus: int | None = None, **options) -> HttpResponse:
    context = discussion_context(request, post, focus=focus, **options)
    response = _fragment(request, "discussion-and-count", context)
    response["HX-Retarget"] = "#discussion"
    if focus is not None:
        response["HX-Reswap"] = f"outerHTML show:#comment-{focus}:top"
    return response


@require_POST
def comment_create(request, slug):
    post = _post_or_404(slug)
    form = CommentForm(request.POST, post=post, user=request.user)
    error_status = 400
    if form.is_valid():
        try:
            body = services.comment_body_clean(form.cleaned_data["body"])
            if form.is_preview:
                return _form_response(request, post, form, status=200, preview=body)
            comment = services.comment_submit(
                post=post,
                body=body,
                parent=_parent(post, form.cleaned_data.get("parent")),
                wants_replies=form.cleaned_data["wants_replies"],
                context=_context(request, post, form=form),
                **form.identity(),
            )
        except CommentError as error:
            form.add_error(error.field, error.message)
            error_status = error.http_status
        else:
            return _created(request, post, form, comment)
    return _form_response(request, post, form, status=error_status)


def _parent(post, number: int | None) -> Comment | None:
    if not number:
        return None
    return selectors.comment_get(post=post, number=number)


def _form_response(request, post, form, *, status: int, preview: str = "") -> HttpResponse:
    preview_html = render_comment(preview) if preview else ""
    context = form_context(request, post, form=form, preview_html=preview_html)
    if _is_htmx(request):
        return _fragment(request, "comment-form", context, status=status)
    return render(request, WRITE_TEMPLATE, context, status=status)


@require_GET
@never_cache
def comment_form_fragment(request, slug):
    """The comment form a shared post page loads: this reader's CSRF token and remembered name."""
    post = _post_or_404(slug)
    if not _is_htmx(request):
        return redirect("discussion:write", slug=slug)
    if not (post.is_published and comments_open_for(post)):
        return _fragment(request, "closed", {"post": post})
    html = rendering.blank_form_html(request, post)
    if html is None:
        return _fragment(request, "comment-form", form_context(request, post))
    return _fragment_response(html)


@require_GET
@never_cache
def comment_write(request, slug):
    """``/comments/<post>/write/`` (``?reply=<n>``): the whole form on a page of its own."""
    post = _post_or_404(slug)
    reply_to = None
    if number := _int(request.GET.get("reply")):
        reply_to = _comment_or_404(post, number)
        if not reply_to.is_approved:
            raise Http404("No such comment")
    return render(request, WRITE_TEMPLATE, form_context(request, post, reply_to=reply_to))


def _created(request, post, form, comment) -> HttpResponse:
    if not _is_htmx(request):
        response = redirect(comment.get_absolute_url())
    elif _shows_in_place(request, comment):
        response = _added_response(request, post, comment)
    else:
        response = _discussion_response(request, post, focus=comment.number, also_wrote=comment.pk)
    _remember(request, response, form, comment)
    return response


def _shows_in_place(request, comment) -> bool:
    """A top-level comment posted from the end of the thread, which its author may see there
    (approved or awaiting moderation; a comment caught as spam is not shown, as in the thread)."""
    return (
        comment.parent_id is None
        and request.POST.get("here") == "1"
        and comment.status in (CommentStatus.APPROVED, CommentStatus.PENDING)
    )


def _added_response(request, post, comment) -> HttpResponse:
    """The new comment added to the end of the thread the reader is looking at, and a fresh form
    in place of theirs. The thread is not drawn again: posting would otherwise cost as much as
    the thread is long; comments others posted meanwhile are announced by
    the poller as usual."""
    viewer = viewer_for(request, also_wrote=comment.pk)
    form_html = rendering.blank_form_html(request, post)
    if form_html is None:
        context = form_context(request, post)
        form_html = _partial_html(request, "comment-form", context)
        comments_open = context["comments_open"]
    else:  # comments are open: this one was just taken
        comments_open = True
    html = rendering.added_html(
        post,
        form_html=form_html,
        nodes=[selectors.comment_node_alone(comment, viewer)],
        comments_open=comments_open,
    )
    response = _fragment_response(html)
    response["HX-Reswap"] = f"outerHTML show:#comment-{comment.number}:top"
    # Keyboard and screen-reader focus follows the eyes to the new comment (discussion.js).
    focus = {"masthead:focus": f"comment-{comment.number}"}
    response["HX-Trigger-After-Settle"] = json.dumps(focus)
    return response


def _remember(request, response, form, comment) -> None:
    """A guest's browser keeps a signed list of its comments (to edit them) and, only if asked,
    its name and e-mail."""
    if comment.user_id is not None:
        return
    who = None
    if form.cleaned_data.get("remember"):
        who = {"name": comment.name, "email": comment.email, "url": comment.url}
    write_fresh(request, response, comment_pk=comment.pk, who=who)


@require_GET
@never_cache
def comment_permalink(request, slug, number):
    """``/comments/<post>/<n>/``: the page of a long thread that shows comment n."""
    return _show_comment(request, _post_or_404(slug), number)


def _show_comment(request, post, number: int) -> HttpResponse:
    thread = selectors.comment_tree_for_post(
        post=post, viewer=viewer_for(request), sort=request.GET.get("csort", "oldest")
    )
    page = selectors.comment_page_number(thread, number)
    if page is None:
        raise Http404("No such comment")
    if _is_htmx(request):
        node = thread.nodes_by_number[number]
        return _fragment(request, "comment", {"post": post, "node": node, "sort": thread.sort})
    query = f"?cpage={page}" if page > 1 else ""
    if thread.sort != "oldest":
        query = f"{query}{'&' if query else '?'}csort={thread.sort}"
    return redirect(f"{post.get_absolute_url()}{query}#comment-{number}")


@require_GET
@never_cache
def comment_reply_form(request, slug, number):
    post = _post_or_404(slug)
    parent = _comment_or_404(post, number)
    if not _is_htmx(request) or not parent.is_approved:
        return redirect(f"{reverse('discussion:write', args=[slug])}?reply={number}")
    context = form_context(request, post, reply_to=parent)
    context["form"].fields["body"].widget.attrs["autofocus"] = True
    return _fragment(request, "comment-form", context)


@require_GET
@never_cache
def comment_thread(request, slug):
    """The discussion fragment: after "N new comments", a new sort or a new page."""
    post = _post_or_404(slug)
    seen = _int(request.GET.get("seen"))
    focus = _int(request.GET.get("focus"))
    if not _is_htmx(request):
        if focus:
            return redirect("discussion:permalink", slug=slug, number=focus)
        return redirect(post.get_absolute_url())
    return _discussion_response(request, post, focus=focus, seen=seen)


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@require_GET
@never_cache
def comment_poll(request, slug):
    """Answered 304 while nothing changed; otherwise the "N new comments" bar."""
    marker, post_id = selectors.comment_marker_for_post(slug=slug)
    etag = f'"{marker}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    after = _int(request.GET.get("after")) or 0
    count, first = (0, None)
    if post_id is not None:
        count, first = selectors.comment_count_new(
            post_id=post_id, after=after, viewer=viewer_for(request)
        )
    context = {
        "slug": slug,
        "marker": marker,
        "after": after,
        "new_count": count,
        "first_new": first,
        "poll_seconds": settings.COMMENT_POLL_SECONDS,
    }
    response = _fragment(request, "poller", context)
    response["ETag"] = etag
    return response


@require_http_methods(["GET", "POST"])
@never_cache
def comment_edit(request, slug, number):
    post = _post_or_404(slug)
    comment = _comment_or_404(post, number)
    viewer = viewer_for(request)
    if not services.comment_can_edit(comment, user=request.user, authored_ids=viewer.authored_ids):
        return _refuse(request, post, comment)
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                comment=comment,
                body=form.cleaned_data["body"],
                user=request.user,
                authored_ids=viewer.authored_ids,
                context=_context(request, post, is_edit=True),
            )
        except CommentError as error:
            form.add_error(error.field, error.message)
            status = error.http_status
        else:
            return _show_comment(request, post, number)
    context = {"post": post, "edit_form": form, "comment": comment}
    form.fields["body"].widget.attrs["autofocus"] = True
    if _is_htmx(request):
        return _fragment(request, "comment-edit", context, status=status)
    return render(request, "discussion/comment_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@never_cache
def comment_delete(request, slug, number):
    post = _post_or_404(slug)
    comment = _comment_or_404(post, number)
    viewer = viewer_for(request)
    if not services.comment_can_edit(comment, user=request.user, authored_ids=viewer.authored_ids):
        return _refuse(request, post, comment)
    if request.method == "GET":
        context = {"post": post, "comment": comment, "sort": request.GET.get("csort", "")}
        return render(request, "discussion/comment_delete.html", context)
    services.comment_delete(comment=comment, user=request.user, authored_ids=viewer.authored_ids)
    page = _int(request.POST.get("cpage"))
    if _is_htmx(request):
        return _discussion_response(request, post, page=page)
    return redirect(f"{post.get_absolute_url()}{f'?cpage={page}' if page else ''}#comments")


def _refuse(request, post, comment) -> HttpResponse:
    minutes = settings.COMMENT_EDIT_MINUTES
    message = (
        f"Comments can be changed or deleted by their author for {minutes} minutes after "
        "posting; this one can no longer be changed here."
    )
    context = {"post": post, "comment": comment, "message": message}
    return render(request, "discussion/comment_locked.html", context, status=403)


@require_http_methods(["GET", "POST"])
def subscription_confirm(request, token):
    subscription = notifications.subscription_from_token(
        token, salt=notifications.CONFIRM_SALT, max_age=notifications.CONFIRM_MAX_AGE
    )
    if subscription is None:
        return _bad_link(request)
    done = request.method == "POST"
    if done:
        services.subscription_confirm(subscription=subscription)
    context = {"subscription": subscription, "post": subscription.post, "done": done}
    return render(request, "discussion/subscription_confirm.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscription_unsubscribe(request, token):
    """A GET shows a button (link checkers open links); a POST, the button's or a mail
    client's one-click request (RFC 8058, so no CSRF token), unsubscribes."""
    subscription = notifications.subscription_from_token(token, salt=notifications.UNSUBSCRIBE_SALT)
    if subscription is None:
        return _bad_link(request)
    done = request.method == "POST"
    if done:
        services.subscription_cancel(subscription=subscription)
    context = {"subscription": subscription, "post": subscription.post, "done": done}
    return render(request, "discussion/subscription_unsubscribe.html", context)


def _bad_link(request) -> HttpResponse:
    return render(request, "discussion/link_invalid.html", status=404)
