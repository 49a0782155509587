"""Writes that carry moderation rules: moderators' decisions, bans, rules, reports, the audit log.

Every decision on a comment goes through ``comment_moderate``, which locks the comment's row
first: two moderators acting on the same comment at once are applied one after the other, the
second seeing the first's result as its "before", and both are audited. Statuses change through
discussion's ``comment_status_set``, so counts, purges and reply e-mails follow as usual.
Nothing here deletes: spam and removed comments can be restored, bans are lifted, rules are
switched off, and the audit log is only added to.
"""

import datetime
import ipaddress
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.services import comment_status_set
from masthead.moderation import matching, selectors
from masthead.moderation.commenters import Commenter
from masthead.moderation.exceptions import (
    BanInvalidError,
    ModerationActionInvalidError,
    ModerationActionUnknownError,
    ReportDuplicateError,
    ReportNotAllowedError,
    RuleInvalidError,
    RuleNeedsConfirmationError,
)
from masthead.moderation.models import (
    AuditAction,
    AuditEntry,
    Ban,
    BanKind,
    LearnedToken,
    LearnedTotals,
    Report,
    Rule,
    RuleKind,
    RuleList,
)
from masthead.moderation.spam.scoring import comment_tokens

MAX_TOKEN_LENGTH = LearnedToken._meta.get_field("token").max_length
REASON_LENGTH = Comment._meta.get_field("status_reason").max_length
# Wider than this, an IP range bans a sizeable part of the internet: almost surely a typo.
WIDEST_NETWORK = {4: 8, 6: 16}


def spam_learn(*, body: str, name: str = "", email: str = "", url: str = "", is_spam: bool) -> int:
    """Count a moderator's verdict on a comment into this site's spam model, at once.

    Counters are raised with ``F()`` expressions after an insert that ignores existing rows, so
    two moderators judging at the same moment both count. Returns how many tokens were counted.
    A verdict that reverses an earlier one on the same comment is simply counted as well.
    """
    tokens = [t for t in comment_tokens(body=body, name=name, email=email, url=url)]
    tokens = [t for t in dict.fromkeys(tokens) if len(t) <= MAX_TOKEN_LENGTH]
    column = "spam_count" if is_spam else "ham_count"
    with transaction.atomic():
        LearnedTotals.objects.get_or_create(pk=1)
        LearnedTotals.objects.filter(pk=1).update(**{column: F(column) + 1})
        LearnedToken.objects.bulk_create(
            [LearnedToken(token=token) for token in tokens], ignore_conflicts=True
        )
        LearnedToken.objects.filter(token__in=tokens).update(**{column: F(column) + 1})
    return len(tokens)


@dataclass(frozen=True)
class Action:
    status: str | None
    audit: str
    verb: str


# ``None``: back to the status before the comment was marked spam or removed.
ACTIONS = {
    "approve": Action(CommentStatus.APPROVED, AuditAction.APPROVE, "approved"),
    "spam": Action(CommentStatus.SPAM, AuditAction.SPAM, "marked spam"),
    "remove": Action(CommentStatus.REMOVED, AuditAction.REMOVE, "removed"),
    "restore": Action(None, AuditAction.RESTORE, "restored"),
    "ban": Action(CommentStatus.REMOVED, AuditAction.BAN, "removed and its commenter banned"),
}
RESTORABLE = {CommentStatus.SPAM, CommentStatus.REMOVED}


def moderation_action(action: str) -> Action:
    try:
        return ACTIONS[action]
    except KeyError:
        known = ", ".join(ACTIONS)
        raise ModerationActionUnknownError(
            f"“{action}” is not a moderation action (use one of: {known})."
        ) from None


def comment_moderate(*, comment_id: int, action: str, actor: Any, note: str = "") -> Comment:
    """Apply one moderator's decision to one comment; returns the comment as it now stands.

    Runs in its own transaction with the comment's row locked. Marking spam teaches the spam
    model "spam"; approving a held or spam comment (or restoring one from spam) teaches it
    "not spam". Repeating a decision changes nothing but is audited all the same. Open reports
    on the comment are resolved by any decision.
    """
    spec = moderation_action(action)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        before = comment.status
        after = spec.status or _restored_status(comment)
        reason = _clip(note.strip() or f"{spec.verb} by {_name(actor)}")
        subject = _ban_commenter(comment, actor=actor, reason=reason) if action == "ban" else ""
        comment._moderation_audited = after
        comment_status_set(comment=comment, status=after, reason=reason)
        _learn(comment, before=before, after=after)
        _reports_resolve(comment, actor=actor)
        audit_record(
            action=spec.audit,
            actor=actor,
            comment=comment,
            status_before=before,
            status_after=after,
            reason=reason,
            subject=subject,
        )
    return comment


@dataclass(frozen=True)
class BulkResult:
    done: int
    skipped: list[str]


def comments_moderate_bulk(*, comment_ids: list[int], action: str, actor: Any) -> BulkResult:
    """The same decision on many comments, each in its own transaction and audited on its own.

    An unknown action changes nothing. A comment the action does not apply to (restoring an
    approved one) or that is gone is skipped and named in the result.
    """
    moderation_action(action)
    done, skipped = 0, []
    for comment_id in dict.fromkeys(comment_ids):
        try:
            comment_moderate(comment_id=comment_id, action=action, actor=actor)
        except (ModerationActionInvalidError, Comment.DoesNotExist) as error:
            skipped.append(f"comment {comment_id}: {getattr(error, 'message', 'not found')}")
        else:
            done += 1
    return BulkResult(done, skipped)


def commenter_approve_all(*, comment_id: int, actor: Any) -> BulkResult:
    """Approve every held comment by the person who wrote this one (account or e-mail)."""
    comment = Comment.objects.only("user_id", "email").get(pk=comment_id)
    held = Commenter.of(comment).comments().filter(status=CommentStatus.PENDING)
    ids = list(held.order_by("created_at", "pk").values_list("pk", flat=True))
    return comments_moderate_bulk(comment_ids=ids, action="approve", actor=actor)


def _restored_status(comment: Comment) -> str:
    """Where the comment was before it was last marked spam or removed; approved if it came in
    that way (the pipeline called it spam, or it was imported so)."""
    if comment.status not in RESTORABLE:
        raise ModerationActionInvalidError(
            f"Comment {comment.pk} is {comment.get_status_display().lower()}: only spam and "
            "removed comments can be restored."
        )
    last = (
        AuditEntry.objects.filter(comment=comment, status_after=comment.status)
        .exclude(status_before=comment.status)
        .order_by("-created_at", "-pk")
        .values_list("status_before", flat=True)
        .first()
    )
    wanted = {CommentStatus.APPROVED, CommentStatus.PENDING}
    return last if last in wanted else CommentStatus.APPROVED


def _learn(comment: Comment, *, before: str, after: str) -> None:
    fields = {key: getattr(comment, key) for key in ("body", "name", "email", "url")}
    if after == CommentStatus.SPAM and before != CommentStatus.SPAM:
        spam_learn(**fields, is_spam=True)
    elif after == CommentStatus.APPROVED and before in {CommentStatus.SPAM, CommentStatus.PENDING}:
        spam_learn(**fields, is_spam=False)


def _reports_resolve(comment: Comment, *, actor: Any) -> None:
    Report.objects.filter(comment=comment, resolved_at=None).update(
        resolved_at=timezone.now(), resolved_by=actor
    )


def _ban_commenter(comment: Comment, *, actor: Any, reason: str) -> str:
    """Ban the comment's account, else its e-mail address, else its address; returns what."""
    if comment.user_id is not None:
        found = {"kind": BanKind.USER, "user_id": comment.user_id}
    elif comment.email:
        found = {"kind": BanKind.EMAIL, "email": comment.email.lower()}
    elif comment.ip_address:
        found = {"kind": BanKind.NETWORK, "network": str(ipaddress.ip_network(comment.ip_address))}
    else:
        raise ModerationActionInvalidError(
            f"Comment {comment.pk} has no account, e-mail or address to ban."
        )
    ban = Ban.objects.active().filter(**found).first()
    if ban is None:
        ban = Ban.objects.create(**found, reason=reason, created_by=_user(actor))
    return f"ban {ban.pk}: {ban}"


def ban_create(
    *,
    kind: str,
    value: str,
    actor: Any,
    reason: str = "",
    expires_at: datetime.datetime | None = None,
) -> Ban:
    """Ban an account (by user name), an e-mail address, or an IP address or range."""
    fields = _ban_target(kind, value)
    if expires_at is not None and expires_at <= timezone.now():
        raise BanInvalidError("The expiry must be in the future.", field="expires_in_days")
    with transaction.atomic():
        ban = Ban.objects.create(
            **fields, reason=reason.strip()[:200], created_by=_user(actor), expires_at=expires_at
        )
        until = f" until {expires_at:%Y-%m-%d %H:%M}" if expires_at else ""
        audit_record(
            action=AuditAction.BAN_ADD,
            actor=actor,
            subject=f"ban {ban.pk}: {ban}{until}",
            reason=ban.reason,
        )
    return ban


def _ban_target(kind: str, value: str) -> dict:
    value = (value or "").strip()
    if kind not in BanKind.values:
        raise BanInvalidError(f"“{kind}” is not a kind of ban.", field="kind")
    if not value:
        raise BanInvalidError("Say who to ban.")
    if kind == BanKind.USER:
        user = get_user_model().objects.filter(username=value).first()
        if user is None:
            raise BanInvalidError(f"No account has the user name “{value}”.")
        return {"kind": kind, "user": user}
    if kind == BanKind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise BanInvalidError(f"“{value}” is not an e-mail address.") from None
        return {"kind": kind, "email": value.lower()}
    return {"kind": kind, "network": network_clean(value)}


def network_clean(value: str) -> str:
    """An IP address or CIDR range in canonical form, or the error a moderator is shown."""
    try:
        network = ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        raise BanInvalidError(
            f"“{value}” is not an IP address or range (examples: 192.0.2.7, 192.0.2.0/24, "
            "2001:db8::/48)."
        ) from None
    widest = WIDEST_NETWORK[network.version]
    if network.prefixlen < widest:
        raise BanInvalidError(
            f"“{value}” covers {network.num_addresses:,} addresses; ranges wider than "
            f"/{widest} are refused."
        )
    return str(network)


def ban_lift(*, ban_id: int, actor: Any) -> Ban:
    with transaction.atomic():
        ban = Ban.objects.select_for_update().get(pk=ban_id)
        if ban.lifted_at is None:
            ban.lifted_at, ban.lifted_by = timezone.now(), _user(actor)
            ban.save(update_fields=["lifted_at", "lifted_by"])
            audit_record(action=AuditAction.BAN_LIFT, actor=actor, subject=f"ban {ban.pk}: {ban}")
    return ban


def rule_clean(*, kind: str, pattern: str) -> str:
    """The pattern as the rule keeps it, or the error a moderator is shown."""
    pattern = " ".join((pattern or "").split())
    if kind not in RuleKind.values:
        raise RuleInvalidError(f"“{kind}” is not a kind of rule.", field="kind")
    if not pattern:
        what = "a word or phrase" if kind == RuleKind.WORD else "a domain"
        raise RuleInvalidError(f"Enter {what}: an empty entry would match nothing.")
    if len(pattern) > Rule._meta.get_field("pattern").max_length:
        raise RuleInvalidError("Keep a rule under 100 characters.")
    if kind == RuleKind.WORD:
        if not matching.WordPattern.parse(pattern).words:
            raise RuleInvalidError(f"“{pattern}” has no letters or digits to match.")
        return pattern
    domain = matching.domain_clean(pattern)
    if "." not in domain or not all(part for part in domain.split(".")):
        raise RuleInvalidError(f"“{pattern}” is not a domain (example: spam.example.com).")
    return domain


def rule_create(
    *, kind: str, list_name: str, pattern: str, actor: Any, confirmed_broad: bool = False
) -> Rule:
    """Add a word-list entry or link rule, after trying it on the recent comments.

    A rule that would have caught more than half of them is refused unless
    ``confirmed_broad``: the moderator has seen the trial and confirmed a second time.
    """
    if list_name not in RuleList.values:
        raise RuleInvalidError(f"“{list_name}” is not a list.", field="list_name")
    pattern = rule_clean(kind=kind, pattern=pattern)
    trial = selectors.rule_trial(kind=kind, pattern=pattern)
    if trial.is_broad and not confirmed_broad:
        raise RuleNeedsConfirmationError(
            f"This rule would have caught {trial.matched:,} of the last {trial.sample:,} "
            "comments, more than half. Confirm that you mean it.",
            trial=trial,
        )
    try:
        with transaction.atomic():
            rule = Rule.objects.create(
                kind=kind, list=list_name, pattern=pattern, created_by=_user(actor)
            )
            audit_record(
                action=AuditAction.RULE_ADD,
                actor=actor,
                subject=f"rule {rule.pk}: {rule}",
                reason=f"would have caught {trial.matched} of the last {trial.sample} comments",
            )
    except IntegrityError:
        raise RuleInvalidError(f"“{pattern}” is already a rule.") from None
    return rule


def rule_disable(*, rule_id: int, actor: Any) -> Rule:
    with transaction.atomic():
        rule = Rule.objects.select_for_update().get(pk=rule_id)
        if rule.is_active:
            rule.is_active, rule.disabled_at, rule.disabled_by = False, timezone.now(), _user(actor)
            rule.save(update_fields=["is_active", "disabled_at", "disabled_by"])
            subject = f"rule {rule.pk}: {rule}"
            audit_record(action=AuditAction.RULE_OFF, actor=actor, subject=subject)
    return rule


def reporter_key(*, user: Any = None, ip_address: str | None = None) -> str:
    """Who reported, as stored: the account, else a keyed hash of the address."""
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    digest = salted_hmac("masthead.moderation.report", ip_address or "", algorithm="sha256")
    return f"ip:{digest.hexdigest()[:64]}"


def report_create(
    *, comment_id: int, reason: str, detail: str = "", user: Any = None, ip_address: str | None
) -> Report:
    """A reader reports a comment. Reports from ``REPORTS_TO_HIDE`` different readers hide it
    (it goes back to waiting for a moderator) until a moderator decides; a decision resolves
    the reports, so hiding it again takes as many new ones."""
    key = reporter_key(user=user, ip_address=ip_address)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment_id)
        if comment.status != CommentStatus.APPROVED:
            raise ReportNotAllowedError("This comment is already waiting for a moderator.")
        if Report.objects.filter(comment=comment, reporter_key=key).exists():
            raise ReportDuplicateError("You have already reported this comment. Thank you.")
        report = Report.objects.create(
            comment=comment,
            reporter=user if user is not None and user.is_authenticated else None,
            reporter_key=key,
            reason=reason,
            detail=detail.strip()[:500],
        )
        _hide_when_reported_enough(comment)
    return report


def _hide_when_reported_enough(comment: Comment) -> None:
    reporters = (
        Report.objects.filter(comment=comment, resolved_at=None)
        .values("reporter_key")
        .distinct()
        .count()
    )
    if reporters < settings.REPORTS_TO_HIDE:
        return
    reason = f"hidden after reports from {reporters} readers"
    comment._moderation_audited = CommentStatus.PENDING
    comment_status_set(comment=comment, status=CommentStatus.PENDING, reason=reason)
    audit_record(
        action=AuditAction.REPORTED,
        actor=None,
        comment=comment,
        phase="reports",
        status_before=CommentStatus.APPROVED,
        status_after=CommentStatus.PENDING,
        reason=reason,
    )


def audit_record(
    *,
    action: str,
    actor: Any = None,
    actor_name: str = "",
    comment: Comment | None = None,
    phase: str = "",
    status_before: str = "",
    status_after: str = "",
    reason: str = "",
    subject: str = "",
) -> AuditEntry:
    """Add one entry to the audit log. ``actor`` is a person; none means the site decided."""
    user = _user(actor)
    return AuditEntry.objects.create(
        actor=user,
        actor_name=actor_name or (_name(user) if user is not None else "site"),
        action=action,
        phase=phase,
        comment=comment,
        subject=subject[:200],
        status_before=status_before or "",
        status_after=status_after or "",
        reason=reason[:300],
    )


def _user(actor: Any):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _name(actor: Any) -> str:
    user = _user(actor)
    return user.get_username() if user is not None else "site"


def _clip(reason: str) -> str:
    return reason if len(reason) <= REASON_LENGTH else reason[: REASON_LENGTH - 1] + "…"
