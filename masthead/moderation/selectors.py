"""Reads for the moderators' pages. Each owns its queries, so a page's query count is fixed
whatever its size: the queue page asks the same handful of questions for 1 comment or 50.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from masthead.discussion.models import Comment, CommentStatus
from masthead.moderation import matching
from masthead.moderation.commenters import Commenter, History
from masthead.moderation.models import AuditAction, AuditEntry, Report, RuleKind

TABS = ["pending", "reported", "spam", "approved", "removed"]
TAB_LABELS = {
    "pending": "Held",
    "reported": "Reported",
    "spam": "Spam",
    "approved": "Approved",
    "removed": "Removed",
}
RECENT_PER_COMMENTER = 3
AUDIT_PER_COMMENT = 3
TRIAL_SAMPLE = 5000
TRIAL_EXAMPLES = 5
DASHBOARD_DAYS = 30
PHASE_LABELS = {
    "length": "Empty or too long",
    "closed": "Post closed",
    "honeypot": "Honeypot",
    "timestamp": "Form sent too fast or too late",
    "ban": "Banned commenter",
    "rate": "Rate limit",
    "words": "Word list or link rule",
    "links": "Too many links",
    "spam": "Spam model",
    "trust": "Trusted commenter",
    "policy": "Site policy (pre-moderation, first comment)",
    "reports": "Readers' reports",
}


def _open_reports():
    return Report.objects.filter(comment=OuterRef("pk"), resolved_at=None)


@dataclass(frozen=True)
class QueueFilter:
    tab: str = "pending"
    q: str = ""
    post: str = ""

    @classmethod
    def from_query(cls, data) -> "QueueFilter":
        tab = data.get("tab", "pending")
        return cls(
            tab=tab if tab in TABS else "pending",
            q=(data.get("q") or "").strip()[:200],
            post=(data.get("post") or "").strip()[:250],
        )

    def as_query(self) -> dict:
        return {key: value for key, value in vars(self).items() if value}


def queue_counts() -> dict[str, int]:
    """How many comments each tab holds: two queries."""
    found = Comment.objects.aggregate(
        **{
            status: Count("pk", filter=Q(status=status))
            for status in ("pending", "spam", "approved", "removed")
        }
    )
    found["reported"] = (
        Report.objects.filter(resolved_at=None).values("comment_id").distinct().count()
    )
    return found


def queue_comments(filters: QueueFilter) -> QuerySet[Comment]:
    comments = Comment.objects.select_related("post", "user")
    if filters.tab == "reported":
        comments = comments.filter(Exists(_open_reports()))
    else:
        comments = comments.filter(status=filters.tab)
    if filters.post:
        comments = comments.filter(post__slug=filters.post)
    if filters.q:
        q = filters.q
        comments = comments.filter(
            Q(body__icontains=q)
            | Q(name__icontains=q)
            | Q(email__iexact=q)
            | Q(status_reason__icontains=q)
            | Q(user__username__iexact=q)
        )
    oldest_first = filters.tab in {"pending", "reported"}
    order = ["created_at", "pk"] if oldest_first else ["-created_at", "-pk"]
    return comments.order_by(*order)


def queue_ids(filters: QueueFilter) -> list[int]:
    """Every comment matching a filter, for a bulk action on all of them."""
    return list(queue_comments(filters).values_list("pk", flat=True))


@dataclass
class QueueItem:
    comment: Comment
    history: History = field(default_factory=History)
    recent: list[Comment] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)
    audit_count: int = 0
    reports: list[Report] = field(default_factory=list)
    all_reports: list[Report] = field(default_factory=list)

    @property
    def commenter(self) -> Commenter:
        return Commenter.of(self.comment)


def queue_items(comments: list[Comment]) -> list[QueueItem]:
    """Each comment with its commenter's history, recent comments, audit trail and reports:
    four queries for the whole page."""
    items = [QueueItem(comment) for comment in comments]
    if not items:
        return items
    keys = {item.commenter.key for item in items if item.commenter.key}
    histories = _histories(keys)
    recent = _recent_by_commenter(keys)
    ids = [item.comment.pk for item in items]
    trails: dict[int, list[AuditEntry]] = defaultdict(list)
    for entry in AuditEntry.objects.filter(comment_id__in=ids).select_related("actor"):
        trails[entry.comment_id].append(entry)
    reports: dict[int, list[Report]] = defaultdict(list)
    for report in Report.objects.filter(comment_id__in=ids, resolved_at=None):
        reports[report.comment_id].append(report)
    for item in items:
        key = item.commenter.key
        item.history = histories.get(key, History())
        item.recent = [c for c in recent.get(key, []) if c.pk != item.comment.pk][
            :RECENT_PER_COMMENTER
        ]
        item.audit = trails[item.comment.pk][:AUDIT_PER_COMMENT]
        item.audit_count = len(trails[item.comment.pk])
        item.reports = reports[item.comment.pk]
    return items


def _identity_filter(keys: set[str]) -> Q:
    users = [int(k.split(":", 1)[1]) for k in keys if k.startswith("user:")]
    emails = [k.split(":", 1)[1] for k in keys if k.startswith("email:")]
    return Q(user_id__in=users) | Q(user=None, email__in=emails)


def _key(user_id: int | None, email: str) -> str:
    return Commenter(user_id, "" if user_id else (email or "").lower()).key


def _histories(keys: set[str]) -> dict[str, History]:
    rows = (
        Comment.objects.filter(_identity_filter(keys))
        .values("user_id", "email")
        .annotate(
            approved=Count("pk", filter=Q(status=CommentStatus.APPROVED)),
            spam=Count("pk", filter=Q(status=CommentStatus.SPAM)),
        )
        .order_by()
    )
    found: dict[str, History] = {}
    for row in rows:
        key = _key(row["user_id"], row["email"])
        seen = found.get(key, History())
        found[key] = History(seen.approved + row["approved"], seen.spam + row["spam"])
    return found


def _recent_by_commenter(keys: set[str]) -> dict[str, list[Comment]]:
    ranked = (
        Comment.objects.filter(_identity_filter(keys))
        .select_related("post")
        .only(
            "pk", "number", "user_id", "email", "status", "created_at", "body",
            "post__slug", "post__title", "post__published_at", "post__status",
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("user_id"), F("email")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=RECENT_PER_COMMENTER + 1)
        .order_by("-created_at", "-pk")
    )  # fmt: skip
    found: dict[str, list[Comment]] = defaultdict(list)
    for comment in ranked:
        found[_key(comment.user_id, comment.email)].append(comment)
    return found


def comment_for_moderation(*, pk: int) -> QueueItem | None:
    """One comment with its whole audit trail, all its reports (open and resolved) and its
    commenter's history."""
    comment = Comment.objects.select_related("post", "user").filter(pk=pk).first()
    if comment is None:
        return None
    item = queue_items([comment])[0]
    item.audit = list(
        AuditEntry.objects.filter(comment=comment).select_related("actor").order_by("created_at")
    )
    item.all_reports = list(
        Report.objects.filter(comment=comment).select_related("resolved_by").order_by("created_at")
    )
    return item


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    phase: str = ""
    comment: int | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None


def audit_list(filters: AuditFilter) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("comment__post")
    if filters.actor:
        entries = entries.filter(actor_name__iexact=filters.actor)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.phase:
        entries = entries.filter(phase=filters.phase)
    if filters.comment:
        entries = entries.filter(comment_id=filters.comment)
    if filters.since:
        entries = entries.filter(created_at__date__gte=filters.since)
    if filters.until:
        entries = entries.filter(created_at__date__lte=filters.until)
    return entries.order_by("-created_at", "-pk")


@dataclass
class Trial:
    """What a rule would have caught among the most recent comments."""

    kind: str
    pattern: str
    sample: int
    matched: int
    examples: list[dict]

    @property
    def share(self) -> float:
        return self.matched / self.sample if self.sample else 0.0

    @property
    def is_broad(self) -> bool:
        return self.matched * 2 > self.sample


def rule_trial(*, kind: str, pattern: str, sample: int = TRIAL_SAMPLE) -> Trial:
    """Try a rule on the last ``sample`` comments, whatever their status: one query."""
    rows = list(
        Comment.objects.order_by("-created_at", "-pk").values(
            "pk", "number", "name", "url", "body", "status", "created_at", "post__title"
        )[:sample]
    )
    if kind == RuleKind.DOMAIN:
        domain = matching.domain_clean(pattern)

        def hit(row):
            hosts = matching.comment_domains(row["body"], row["url"])
            return matching.domain_matches(domain, hosts)
    else:
        word = matching.WordPattern.parse(pattern)

        def hit(row):
            return word.matches(matching.skeleton(f"{row['name']}\n{row['body']}"))

    matched = [row for row in rows if hit(row)]
    return Trial(kind, pattern, len(rows), len(matched), matched[:TRIAL_EXAMPLES])


@dataclass
class Dashboard:
    days: list[datetime.date]
    per_day: dict[datetime.date, dict[str, int]]
    held: int
    reported: int
    oldest_held_at: datetime.datetime | None
    top_reasons: list[tuple[str, int]]

    @property
    def queue_size(self) -> int:
        return self.held + self.reported


def dashboard(*, now: datetime.datetime | None = None) -> Dashboard:
    """Comments per day by outcome over 30 days, the queue, and why comments were stopped."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = [today - datetime.timedelta(days=n) for n in range(DASHBOARD_DAYS - 1, -1, -1)]
    start = now - datetime.timedelta(days=DASHBOARD_DAYS + 1)
    rows = (
        Comment.objects.filter(created_at__gte=start)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_day = {day: dict.fromkeys(("approved", "pending", "spam", "removed"), 0) for day in days}
    for row in rows:
        if row["day"] in per_day:
            per_day[row["day"]][row["status"]] += row["n"]
    held = Comment.objects.filter(status=CommentStatus.PENDING)
    oldest = held.order_by("created_at").values_list("created_at", flat=True).first()
    return Dashboard(
        days=days,
        per_day=per_day,
        held=held.count(),
        reported=Report.objects.filter(resolved_at=None).values("comment_id").distinct().count(),
        oldest_held_at=oldest,
        top_reasons=_top_reasons(since=now - datetime.timedelta(days=DASHBOARD_DAYS)),
    )


def _top_reasons(*, since: datetime.datetime, limit: int = 8) -> list[tuple[str, int]]:
    """Why comments were held, called spam or removed: by phase for the pipeline's decisions,
    by action for people's."""
    stopped = [CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.REMOVED]
    rows = (
        AuditEntry.objects.filter(created_at__gte=since, status_after__in=stopped)
        .exclude(status_before=F("status_after"))
        .values("action", "phase")
        .annotate(n=Count("pk"))
        .order_by("-n", "action", "phase")
    )
    labels = dict(AuditAction.choices)
    counted: dict[str, int] = defaultdict(int)
    for row in rows:
        if row["phase"]:
            label = PHASE_LABELS.get(row["phase"], row["phase"])
        else:
            label = f"{labels.get(row['action'], row['action'])} by a moderator"
            if row["action"] == AuditAction.ELSEWHERE:
                label = labels[AuditAction.ELSEWHERE]
        counted[label] += row["n"]
    return sorted(counted.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]
