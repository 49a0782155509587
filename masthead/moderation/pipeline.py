"""The moderation pipeline: the status a new or edited comment gets, and why.

``settings.COMMENT_PIPELINE`` points discussion at ``decide``. It runs the phases below in
order; each returns no opinion (``None``) or a verdict (approve, hold, spam or reject) with a
reason. The first verdict wins: its reason is stored on the comment (``status_reason``) and in
the audit log with the phase's name, and the moderators see both.

==========  =========================================================================  ========
phase       verdict                                                                    status
==========  =========================================================================  ========
length      empty, or longer than ``COMMENT_MAX_CHARS``                                rejected
closed      the post no longer takes comments                                          rejected
honeypot    the hidden field was filled in                                             rejected
timestamp   sent under 3 seconds after the form was served, or with a form over a day  held
ban         the account, e-mail address, or IP address (or range) is banned            rejected
duplicate   the same comment stored already (a second click), before it is counted    rejected
rate        more than ``COMMENT_RATE`` from one address or one commenter               rejected
words       a banned word or link domain / a suspect one                               rej./held
links       more than ``MAX_LINKS`` links                                              held
spam        the local spam model: at or over the spam threshold / the hold threshold  spam/held
trust       a trusted commenter (see ``commenters.py``) skips what follows             approved
policy      pre-moderation holds everything; a first-time commenter is held (if on)   held
==========  =========================================================================  ========

Nothing objecting, a comment is approved (post-moderation, the default).

**Not from the form.** A submission with neither a form age nor an address (the demo loader, a
script, an import) did not come through the comment form, so the form's phases have nothing
to judge: the timestamp has no opinion without a form age, rate limits count nothing without an
address, and the site policy (pre-moderation, first-time hold) does not apply. Its content is
still judged: length, bans, word lists, links and the spam model.

**Edits.** An edit is judged again on its content, but never promoted: a held comment stays
held however it is edited, and an approved one stays approved unless a phase objects to the
new words. Edits are not rate limited.
"""

import datetime
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from masthead.core import ratelimit
from masthead.core.database import read_together
from masthead.discussion.models import Comment, CommentStatus, comments_open_for
from masthead.discussion.pipeline import REJECTED, Decision, SubmissionContext
from masthead.moderation import matching
from masthead.moderation.commenters import (
    Commenter,
    History,
    commenter_history_read,
    commenter_is_trusted,
    history_found,
)
from masthead.moderation.learned import (
    TokenCounts,
    learned_tokens_found,
    learned_tokens_read,
    learned_totals_found,
    learned_totals_read,
    site_model,
)
from masthead.moderation.models import AuditAction, AuditEntry, Ban, BanKind, Rule, RuleKind
from masthead.moderation.spam import score_comment
from masthead.moderation.spam.scoring import comment_tokens
from masthead.moderation.spam.signals import compares_with_recent
from masthead.moderation.spam.tokens import links as find_links
from masthead.moderation.spam.tokens import normalise

APPROVE, HOLD, SPAM = CommentStatus.APPROVED, CommentStatus.PENDING, CommentStatus.SPAM
MIN_FORM_SECONDS = 3
MAX_FORM_SECONDS = 24 * 3600
RECENT_DAYS = 7
RECENT_LIMIT = 50
# Comments elsewhere are looked for among the site's latest this many: a busy thread taking
# thousands of comments an hour would otherwise have every new one read all of them (a third
# of a comment POST's time, 4,500 comments into a burst on one post).
RECENT_WINDOW = 500
REASON_LENGTH = Comment._meta.get_field("status_reason").max_length
RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$", re.IGNORECASE)
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str
    message: str = ""
    http_status: int = 400


def approve(reason: str) -> Verdict:
    return Verdict(APPROVE, reason)


def hold(reason: str) -> Verdict:
    return Verdict(HOLD, reason)


def spam(reason: str) -> Verdict:
    return Verdict(SPAM, reason)


def reject(reason: str, message: str, *, http_status: int = 400) -> Verdict:
    return Verdict(REJECTED, reason, message, http_status)


@dataclass
class Submission:
    """A comment on its way in, and what the phases learn about it as they go."""

    comment: Comment
    context: SubmissionContext
    now: datetime.datetime = field(default_factory=timezone.now)
    spam_score: float | None = None

    @property
    def is_edit(self) -> bool:
        return self.context.is_edit

    @property
    def is_from_form(self) -> bool:
        """False for the demo loader, scripts and imports (see the module docstring)."""
        ctx = self.context
        return ctx.is_edit or ctx.form_age_seconds is not None or ctx.ip_address is not None

    @cached_property
    def commenter(self) -> Commenter:
        return Commenter.of(self.comment)

    @cached_property
    def history(self) -> History:
        return self.known.history

    @cached_property
    def known(self) -> "Known":
        """What the phases read of the database, read at once when the first of them asks
        (see ``Known.read``)."""
        return Known.read(self)


@dataclass(frozen=True)
class Known:
    """The pipeline's reads of a submission: bans that may cover it, the word and link rules,
    the commenter's history, the site's learned spam counts and the comments elsewhere to
    compare it with. One statement on PostgreSQL (``read_together``): lookups of a few rows
    each, which as statements of their own cost more than they read."""

    bans: list[tuple]
    rules: list[Rule]
    history: History
    learned: tuple[int, int]
    tokens: TokenCounts
    recent: list[str]
    duplicate: bool | None

    @classmethod
    def read(cls, sub: "Submission") -> "Known":
        comment = sub.comment
        bans = ban_read(
            user_id=comment.user_id,
            email=comment.email,
            ip_address=sub.context.ip_address,
            now=sub.now,
        )
        history = commenter_history_read(sub.commenter, excluding=comment.pk)
        wants_recent = compares_with_recent(comment.body)
        tokens = comment_tokens(
            body=comment.body, name=comment.name, email=comment.email, url=comment.url
        )
        reads = {
            "bans": bans,
            "rules": rules_read(),
            "history": history,
            "learned": learned_totals_read(),
            "tokens": learned_tokens_read(tokens),
            "recent": recent_bodies_sql(post_id=sub.context.post.pk, now=sub.now)
            if wants_recent
            else None,
            "duplicate": sub.context.duplicate_read,
        }
        asked = [name for name, read in reads.items() if read is not None]
        rows = dict(zip(asked, read_together([reads[name] for name in asked]), strict=True))
        return cls(
            bans=rows.get("bans", []),
            rules=rules_found(rows["rules"]),
            history=history_found(rows["history"]) if "history" in rows else History(),
            learned=learned_totals_found(rows["learned"]),
            tokens=learned_tokens_found(tokens, rows["tokens"]),
            recent=recent_bodies_found(rows.get("recent", [])),
            duplicate=bool(rows["duplicate"]) if "duplicate" in rows else None,
        )


Phase = Callable[[Submission], Verdict | None]


def length(sub: Submission) -> Verdict | None:
    body = sub.comment.body.strip()
    if not body:
        return reject("empty", "Your comment is empty.")
    limit = settings.COMMENT_MAX_CHARS
    if len(body) > limit:
        return reject(
            f"too long: {len(body):,} characters",
            f"Your comment is {len(body):,} characters long; the limit is {limit:,}.",
        )
    return None


def closed(sub: Submission) -> Verdict | None:
    if not comments_open_for(sub.context.post, now=sub.now):
        return reject("post closed", "Comments are closed on this post.", http_status=403)
    return None


def honeypot(sub: Submission) -> Verdict | None:
    if sub.context.honeypot.strip():
        return reject("honeypot field filled in", "Your comment could not be posted.")
    return None


def timestamp(sub: Submission) -> Verdict | None:
    age = sub.context.form_age_seconds
    if age is None:
        return None
    if age < MIN_FORM_SECONDS:
        return hold(f"form sent {age:.1f} seconds after it was served")
    if age > MAX_FORM_SECONDS:
        return hold("form older than a day")
    return None


def ban(sub: Submission) -> Verdict | None:
    found = ban_found(sub.known.bans, ip_address=sub.context.ip_address)
    if found is None:
        return None
    return reject(
        f"banned {found.get_kind_display().lower()}: {found.target}",
        "Comments from you are not accepted on this site.",
        http_status=403,
    )


def duplicate(sub: Submission) -> Verdict | None:
    """The same comment stored already (a second click): refused before the rate phase counts
    it against the commenter."""
    if sub.known.duplicate:
        return reject("duplicate", "You already posted this.", http_status=409)
    return None


def ban_for(*, user_id, email: str, ip_address: str | None, now=None) -> Ban | None:
    """The active ban that covers this commenter, if any: one query (two when one does)."""
    read = ban_read(user_id=user_id, email=email, ip_address=ip_address, now=now)
    if read is None:
        return None
    (rows,) = read_together([read])
    return ban_found(rows, ip_address=ip_address)


def ban_read(*, user_id, email: str, ip_address: str | None, now=None) -> tuple[str, list] | None:
    """The bans that may cover this commenter (network bans are checked in Python), as SQL
    and its parameters; None when nothing identifies them. Asked for every comment posted, so
    the SQL is written here, like the pipeline's other reads; only table names go into it."""
    email = (email or "").strip().lower()
    wanted, params = [], []
    if user_id is not None:
        wanted.append("(kind = %s AND user_id = %s)")
        params += [BanKind.USER, user_id]
    if email:
        wanted.append("(kind = %s AND email = %s)")
        params += [BanKind.EMAIL, email]
    if ip_address:
        wanted.append("kind = %s")
        params.append(BanKind.NETWORK)
    if not wanted:
        return None
    now = connection.ops.adapt_datetimefield_value(now or timezone.now())
    return (
        f"SELECT id, kind, network FROM {Ban._meta.db_table}"  # noqa: S608
        " WHERE lifted_at IS NULL AND (expires_at IS NULL OR expires_at > %s)"
        f" AND ({' OR '.join(wanted)}) ORDER BY created_at DESC, id DESC",
        [now, *params],
    )


def ban_found(rows: list[tuple], *, ip_address: str | None) -> Ban | None:
    for pk, kind, network in rows:
        if kind != BanKind.NETWORK or Ban(kind=kind, network=network).covers_address(ip_address):
            return Ban.objects.select_related("user").get(pk=pk)
    return None


def rate(sub: Submission) -> Verdict | None:
    if sub.is_edit or not sub.is_from_form:
        return None
    limit, window = comment_rate()
    keys = []
    if sub.context.ip_address:
        keys.append(f"comment:ip:{sub.context.ip_address}")
    if sub.commenter.key:
        keys.append(f"comment:{sub.commenter.key}")
    counted = ratelimit.hit_all(keys, limit, window)
    if counted.allowed:
        return None
    minutes = max(1, round(counted.retry_after / 60))
    return reject(
        f"rate limit: more than {limit} in {_duration(window)}",
        f"You are commenting faster than this site allows. Please wait about {minutes} "
        f"minute{'s' if minutes != 1 else ''} and post again.",
        http_status=429,
    )


def comment_rate() -> tuple[int, int]:
    """``COMMENT_RATE`` ("5/10m": five comments per ten minutes) as (limit, seconds); a limit
    of 0 (or "off") switches the limit off."""
    value = str(settings.COMMENT_RATE).strip()
    if value.lower() in {"off", "0", ""}:
        return 0, 60
    found = RATE.match(value)
    if not found:
        raise ImproperlyConfigured(
            f"MASTHEAD_COMMENT_RATE={value!r}: expected comments/period, like 5/10m "
            "(s, m, h or d), or off."
        )
    count, amount, unit = found.groups()
    return int(count), int(amount or 1) * UNITS[unit.lower()]


def _duration(seconds: int) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{seconds} seconds"


def words(sub: Submission) -> Verdict | None:
    comment = sub.comment
    rules = sub.known.rules
    if not rules:
        return None
    text = matching.skeleton(f"{comment.name}\n{comment.body}")
    hosts = matching.comment_domains(comment.body, comment.url)
    for rule in rules:  # banned before suspect: "banned" sorts first
        if rule.kind == RuleKind.WORD:
            hit = matching.WordPattern.parse(rule.pattern).matches(text)
        else:
            hit = matching.domain_matches(rule.pattern, hosts)
        if not hit:
            continue
        what = "link to" if rule.kind == RuleKind.DOMAIN else "word"
        if rule.holds:
            return hold(f"suspect {what} “{rule.pattern}”")
        return reject(
            f"banned {what} “{rule.pattern}”",
            f"Your comment contains something this site does not accept (“{rule.pattern}”).",
        )
    return None


def rules_read() -> tuple[str, list]:
    """The word and domain rules in force, banned before suspect, oldest first: what of them the
    words phase reads."""
    return (
        f"SELECT id, kind, list, pattern FROM {Rule._meta.db_table}"  # noqa: S608
        " WHERE is_active = %s ORDER BY list, id",
        [True],
    )


def active_rules() -> list[Rule]:
    (rows,) = read_together([rules_read()])
    return rules_found(rows)


def rules_found(rows: list[tuple]) -> list[Rule]:
    return [Rule(id=pk, kind=kind, list=kept, pattern=pattern) for pk, kind, kept, pattern in rows]


def links(sub: Submission) -> Verdict | None:
    found = find_links(normalise(sub.comment.body))
    allowed = settings.MAX_LINKS
    if allowed >= 0 and len(found) > allowed:
        return hold(f"{len(found)} links (more than {allowed})")
    return None


def spam_model(sub: Submission) -> Verdict | None:
    comment, post = sub.comment, sub.context.post
    score = score_comment(
        body=comment.body,
        name=comment.name,
        email=comment.email,
        url=comment.url,
        post_text="\n".join([post.title, post.dek, post.body_text or post.body]),
        recent_bodies=sub.known.recent,
        model=site_model(learned=sub.known.learned, tokens=sub.known.tokens),
    )
    sub.spam_score = score.probability
    why = f"spam score {math.floor(score.probability * 1000) / 1000:.3f}"
    if score.reasons:
        why += f" ({'; '.join(score.reasons[:2])})"
    if score.is_spam:
        return spam(why)
    if score.needs_review:
        return hold(why)
    return None


def recent_bodies(*, post_id: int, now: datetime.datetime) -> list[str]:
    """The latest comments elsewhere on the site, for the spam model's near-duplicate check:
    those on other posts among the site's latest ``RECENT_WINDOW``."""
    (rows,) = read_together([recent_bodies_sql(post_id=post_id, now=now)])
    return recent_bodies_found(rows)


def recent_bodies_found(rows: list[tuple]) -> list[str]:
    return [body for (body,) in rows]


def recent_bodies_sql(*, post_id: int, now: datetime.datetime) -> tuple[str, list]:
    """The window's latest comments are read newest first through ``comment_created_post_idx``.

    On SQLite the window is bounded by the time of its oldest comment, and the comments in it
    on ``post_id`` are passed over in the covering index: only the bodies returned are read
    from the table (a window full of one busy post's comments: 121 µs read as a subquery of
    whole rows, 33 µs this way). The bound is one expression, the later of the week's start
    and the window's: given the two as separate conditions, SQLite scans from the first it
    picks, the week's, and a busy post that fills the window had every comment of the week
    read (1.35 ms, against 0.06 ms).

    PostgreSQL checks each row of an index scan in the table, whatever its index says, so it
    reads the window once, as a subquery (0.36 ms for a window full of one post's comments,
    against 0.72 ms for the bound and then the window)."""
    table = Comment._meta.db_table
    since = connection.ops.adapt_datetimefield_value(now - datetime.timedelta(days=RECENT_DAYS))
    if connection.vendor == "postgresql":
        return (
            f"SELECT body FROM (SELECT body, post_id, created_at FROM {table}"  # noqa: S608
            " WHERE created_at >= %s ORDER BY created_at DESC LIMIT %s) w"
            " WHERE post_id <> %s ORDER BY created_at DESC LIMIT %s",
            [since, RECENT_WINDOW, post_id, RECENT_LIMIT],
        )
    return (
        f"SELECT body FROM {table} WHERE created_at >= MAX(%s, COALESCE("  # noqa: S608
        f"(SELECT created_at FROM {table} ORDER BY created_at DESC LIMIT 1 OFFSET %s), %s))"
        " AND post_id <> %s ORDER BY created_at DESC LIMIT %s",
        [since, RECENT_WINDOW - 1, since, post_id, RECENT_LIMIT],
    )


def trust(sub: Submission) -> Verdict | None:
    if sub.is_edit or not sub.is_from_form:
        return None
    user = sub.comment.user if sub.comment.user_id is not None else None
    if commenter_is_trusted(sub.commenter, sub.history, user=user):
        history = sub.history
        return approve(f"trusted commenter ({history.approved} approved, no spam)")
    return None


def policy(sub: Submission) -> Verdict:
    if sub.is_edit:
        return Verdict(sub.comment.status, sub.comment.status_reason)
    if not sub.is_from_form:
        return approve("loaded, not posted through the form")
    if settings.MODERATION_MODE == "pre":
        return hold("pre-moderation: every comment waits for a moderator")
    if settings.HOLD_FIRST_TIME and sub.history.approved == 0:
        return hold("first comment from this commenter")
    return approve("no phase objected")


PHASES: list[tuple[str, Phase]] = [
    ("length", length),
    ("closed", closed),
    ("honeypot", honeypot),
    ("timestamp", timestamp),
    ("ban", ban),
    ("duplicate", duplicate),
    ("rate", rate),
    ("words", words),
    ("links", links),
    ("spam", spam_model),
    ("trust", trust),
    ("policy", policy),
]


def run(sub: Submission, phases=None) -> tuple[str, Verdict]:
    """The first verdict, and the name of the phase that gave it."""
    for name, phase in phases or PHASES:
        verdict = phase(sub)
        if verdict is not None:
            return name, verdict
    return "policy", approve("no phase objected")


def decide(comment: Comment, context: SubmissionContext) -> Decision:
    """``settings.COMMENT_PIPELINE``: the comment's status, reason and spam score."""
    sub = Submission(comment, context)
    before = comment.status if context.is_edit else ""
    name, verdict = run(sub)
    if context.is_edit and before == HOLD and verdict.status == APPROVE:
        verdict = Verdict(HOLD, comment.status_reason or "held before this edit")
    verdict = Verdict(verdict.status, _clip(verdict.reason), verdict.message, verdict.http_status)
    known = sub.__dict__.get("known")  # read only if a phase asked
    is_duplicate = known.duplicate if known is not None else None
    if verdict.status == REJECTED:
        return Decision(
            REJECTED,
            reason=verdict.reason,
            message=verdict.message,
            http_status=verdict.http_status,
            is_duplicate=is_duplicate,
            phase=name,
        )
    score = sub.spam_score if sub.spam_score is not None else comment.spam_score
    return Decision(
        verdict.status,
        reason=verdict.reason,
        spam_score=score,
        is_duplicate=is_duplicate,
        phase=name,
        along=(_audit_entry(comment, phase=name, before=before, verdict=verdict),),
    )


def _audit_entry(comment: Comment, *, phase: str, before: str, verdict: Verdict) -> AuditEntry:
    """The audit log's entry for the decision, stored with the comment (``Decision.along``).
    The status it records is audited: ``receivers.audit_change_elsewhere`` passes over it."""
    comment._moderation_audited = verdict.status
    return AuditEntry(
        actor=None,
        actor_name="pipeline",
        action=AuditAction.PIPELINE,
        phase=phase,
        comment=comment,
        status_before=before,
        status_after=verdict.status,
        reason=verdict.reason[:300],
    )


def _clip(reason: str) -> str:
    return reason if len(reason) <= REASON_LENGTH else reason[: REASON_LENGTH - 1] + "…"
