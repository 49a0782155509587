"""The moderators' pages under /moderate/, and the readers' report form.

Moderators are staff with the ``moderation.moderate_comments`` permission (the "Moderators"
group holds it; superusers have it). Anyone else signed in gets 403; a visitor who is not signed
in is sent to sign in (or gets 403 for a POST). Every change is a POST with a CSRF token.
Actions answer a plain form post with a redirect back to the queue, and a script's request
(``Accept: application/json``) with JSON, so the keyboard shortcuts need no page load.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from masthead.core import ratelimit
from masthead.discussion.models import Comment, CommentStatus
from masthead.moderation import charts, selectors, services
from masthead.moderation.exceptions import ModerationError, RuleNeedsConfirmationError
from masthead.moderation.forms import ActionForm, AuditFilterForm, BanForm, ReportForm, RuleForm
from masthead.moderation.models import Ban, Rule

PERMISSION = "moderation.moderate_comments"
QUEUE_PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 100
REPORT_WINDOW = 3600


def is_moderator(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff and user.has_perm(PERMISSION)


def moderator_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated and request.method in {"GET", "HEAD"}:
            return redirect_to_login(request.get_full_path())
        if not is_moderator(request.user):
            raise PermissionDenied("Moderators only.")
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _page_context(section: str, *, counts: dict | None = None, **extra) -> dict:
    return {"counts": counts or selectors.queue_counts(), "section": section, **extra}


@moderator_required
@require_http_methods(["GET", "HEAD"])
def queue(request):
    filters = selectors.QueueFilter.from_query(request.GET)
    return _queue_page(request, filters, ActionForm())


def _queue_page(request, filters, form, *, status: int = 200) -> HttpResponse:
    page = Paginator(selectors.queue_comments(filters), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = selectors.queue_counts()
    context = _page_context(
        "queue",
        counts=counts,
        tab_list=[(tab, selectors.TAB_LABELS[tab], counts[tab]) for tab in selectors.TABS],
        tab_label=selectors.TAB_LABELS[filters.tab],
        filters=filters,
        page_query=urlencode(filters.as_query()),
        page=page,
        items=selectors.queue_items(list(page.object_list)),
        form=form,
    )
    return render(request, "moderation/comment_queue.html", context, status=status)


@moderator_required
@require_POST
def act(request):
    form = ActionForm(request.POST)
    filters = selectors.QueueFilter.from_query(request.POST)
    if not form.is_valid():
        return _refused(request, filters, form)
    data = form.cleaned_data
    try:
        message = _apply(request, data, filters)
    except ModerationError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _refused(request, filters, form)
    except Comment.DoesNotExist:
        form.add_error("ids", "That comment does not exist.")
        return _refused(request, filters, form)
    if _wants_json(request):
        return JsonResponse({"message": message, "counts": selectors.queue_counts()})
    messages.success(request, message)
    return redirect(_back(request, filters))


def _apply(request, data, filters) -> str:
    action, ids, actor = data["action"], data["ids"], request.user
    if action == "approve_commenter":
        result = services.commenter_approve_all(comment_id=ids[0], actor=actor)
        return _summary(result, "approved from this commenter")
    if data.get("scope") == "all":
        ids = selectors.queue_ids(filters)
    if len(ids) == 1 and data.get("scope") != "all":
        comment = services.comment_moderate(
            comment_id=ids[0], action=action, actor=actor, note=data.get("note", "")
        )
        return f"Comment {comment.number} on “{comment.post.title}”: {comment.status_reason}."
    result = services.comments_moderate_bulk(comment_ids=ids, action=action, actor=actor)
    return _summary(result, services.ACTIONS[action].verb)


def _summary(result: services.BulkResult, verb: str) -> str:
    text = f"{result.done} comment{'s' if result.done != 1 else ''} {verb}."
    if result.skipped:
        text += f" Skipped {len(result.skipped)}: {'; '.join(result.skipped[:5])}."
    return text


def _refused(request, filters, form) -> HttpResponse:
    if _wants_json(request):
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        return JsonResponse({"errors": errors}, status=400)
    return _queue_page(request, filters, form, status=400)


def _back(request, filters) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    query = urlencode(filters.as_query())
    return reverse("moderation:queue") + (f"?{query}" if query else "")


@moderator_required
@require_http_methods(["GET", "HEAD"])
def comment_detail(request, pk):
    item = selectors.comment_for_moderation(pk=pk)
    if item is None:
        raise Http404("No such comment")
    return render(request, "moderation/comment_detail.html", _page_context("queue", item=item))


@moderator_required
@require_http_methods(["GET", "HEAD"])
def audit(request):
    form = AuditFilterForm(request.GET or None)
    filters = selectors.AuditFilter(**form.cleaned_data) if form.is_valid() else None
    entries = selectors.audit_list(filters or selectors.AuditFilter())
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = _page_context("audit", form=form, page=page, page_query=query.urlencode())
    return render(request, "moderation/auditentry_list.html", context)


@moderator_required
@require_http_methods(["GET", "HEAD", "POST"])
def bans(request):
    form = BanForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                ban = services.ban_create(
                    kind=form.cleaned_data["kind"],
                    value=form.cleaned_data["value"],
                    reason=form.cleaned_data["reason"],
                    expires_at=form.expires_at,
                    actor=request.user,
                )
            except ModerationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, f"Banned: {ban}.")
                return redirect("moderation:bans")
        status = 400
    listed = Ban.objects.select_related("user", "created_by", "lifted_by")
    context = _page_context(
        "bans",
        form=form,
        active=listed.active(),
        ended=listed.exclude(pk__in=listed.active().values("pk"))[:50],
    )
    return render(request, "moderation/ban_list.html", context, status=status)


@moderator_required
@require_POST
def ban_lift(request, pk):
    ban = services.ban_lift(ban_id=get_object_or_404(Ban, pk=pk).pk, actor=request.user)
    messages.success(request, f"Lifted: {ban}.")
    return redirect("moderation:bans")


@moderator_required
@require_http_methods(["GET", "HEAD", "POST"])
def rules(request):
    form = RuleForm(request.POST or None)
    trial, status = None, 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("step") == "save":
                rule = services.rule_create(
                    kind=data["kind"],
                    list_name=data["list_name"],
                    pattern=data["pattern"],
                    confirmed_broad=data["confirm_broad"],
                    actor=request.user,
                )
                messages.success(request, f"Saved: {rule}.")
                return redirect("moderation:rules")
            pattern = services.rule_clean(kind=data["kind"], pattern=data["pattern"])
            trial = selectors.rule_trial(kind=data["kind"], pattern=pattern)
        except RuleNeedsConfirmationError as error:
            trial = error.trial
            form.add_error("confirm_broad", error.message)
            status = 400
        except ModerationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = 400
    elif request.method == "POST":
        status = 400
    context = _page_context(
        "rules",
        form=form,
        trial=trial,
        rules=Rule.objects.filter(is_active=True).select_related("created_by"),
        sample_size=selectors.TRIAL_SAMPLE,
    )
    return render(request, "moderation/rule_list.html", context, status=status)


@moderator_required
@require_POST
def rule_disable(request, pk):
    rule = services.rule_disable(rule_id=get_object_or_404(Rule, pk=pk).pk, actor=request.user)
    messages.success(request, f"Switched off: {rule}.")
    return redirect("moderation:rules")


@moderator_required
@require_http_methods(["GET", "HEAD"])
def dashboard(request):
    found = selectors.dashboard()
    context = _page_context(
        "dashboard",
        dashboard=found,
        outcomes=charts.OUTCOMES,
        daily_chart=charts.daily_outcomes(found.days, found.per_day, chart_id="daily"),
        reasons_chart=charts.horizontal_bars(
            found.top_reasons,
            chart_id="reasons",
            title="Why comments were held, called spam or removed, last 30 days",
            empty="Nothing was held, called spam or removed in the last 30 days.",
        ),
        rows=[(day, found.per_day[day]) for day in reversed(found.days)],
    )
    return render(request, "moderation/dashboard.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report(request, pk):
    """A reader reports a comment shown on the site. Limited per address (429 past it)."""
    comment = get_object_or_404(
        Comment.objects.select_related("post").on_published_posts(),
        pk=pk,
        status=CommentStatus.APPROVED,
    )
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        address = ratelimit.client_ip(request)
        limit = ratelimit.hit(f"report:ip:{address}", settings.REPORT_RATE_LIMIT, REPORT_WINDOW)
        if not limit.allowed:
            return ratelimit.too_many_requests(request, limit.retry_after)
        if form.is_valid():
            try:
                services.report_create(
                    comment_id=comment.pk,
                    reason=form.cleaned_data["reason"],
                    detail=form.cleaned_data["detail"],
                    user=request.user,
                    ip_address=address,
                )
                message = "Thank you. A moderator will look at this comment."
            except ModerationError as error:
                message = error.message
            context = {"comment": comment, "post": comment.post, "message": message}
            return render(request, "moderation/report_done.html", context)
    context = {"comment": comment, "post": comment.post, "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "moderation/report_form.html", context, status=status)
