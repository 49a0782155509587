"""What moderation keeps: the spam model's learned counts, bans, word and link rules, readers'
reports, and the audit log of every decision.

Nothing here is deleted by the moderators' pages: a ban is lifted, a rule is switched off, a
report is resolved, and audit entries are only ever added.
"""

import ipaddress

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class LearnedToken(models.Model):
    """How often a token appeared in comments this site's moderators judged, by verdict.

    These counts are added to the shipped spam model's, so every decision moves the next score.
    """

    token = models.CharField(max_length=200, unique=True)
    spam_count = models.PositiveIntegerField(default=0)
    ham_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.token} (spam {self.spam_count}, not spam {self.ham_count})"


class LearnedTotals(models.Model):
    """How many comments the moderators have judged: one row, created on the first decision."""

    spam_count = models.PositiveIntegerField(default=0)
    ham_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "learned totals"

    def __str__(self) -> str:
        return f"spam {self.spam_count}, not spam {self.ham_count}"


class BanKind(models.TextChoices):
    USER = "user", "Account"
    EMAIL = "email", "E-mail address"
    NETWORK = "network", "IP address or range"


class BanQuerySet(models.QuerySet):
    def active(self, *, now=None):
        now = now or timezone.now()
        return self.filter(Q(expires_at=None) | Q(expires_at__gt=now), lifted_at=None)


class Ban(models.Model):
    """A commenter whose comments are refused: an account, an e-mail address, or an IP address
    or range (kept in CIDR form; one address is a /32 or /128)."""

    kind = models.CharField(max_length=10, choices=BanKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(blank=True)
    network = models.CharField("IP address or range", max_length=50, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "lifted_at"], name="ban_kind_lifted_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target}"

    @property
    def target(self) -> str:
        if self.kind == BanKind.USER:
            return self.user.get_username() if self.user else "(deleted account)"
        return self.email if self.kind == BanKind.EMAIL else self.network

    def is_active_at(self, now) -> bool:
        return self.lifted_at is None and (self.expires_at is None or self.expires_at > now)

    def covers_address(self, address: str | None) -> bool:
        if self.kind != BanKind.NETWORK or not address:
            return False
        try:
            return ipaddress.ip_address(address) in ipaddress.ip_network(self.network)
        except ValueError:
            return False


class RuleList(models.TextChoices):
    BANNED = "banned", "Banned: rejected"
    SUSPECT = "suspect", "Suspect: held"


class RuleKind(models.TextChoices):
    WORD = "word", "Word or phrase"
    DOMAIN = "domain", "Link to a domain"


class Rule(models.Model):
    """One entry of the word lists, or a link rule: a domain whose links are banned or suspect.

    Words match whole words, after Unicode look-alikes are folded (see ``matching.py``); a
    trailing ``*`` matches any ending. A domain matches itself and its subdomains.
    """

    kind = models.CharField(max_length=10, choices=RuleKind.choices, default=RuleKind.WORD)
    list = models.CharField(max_length=10, choices=RuleList.choices)
    pattern = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["list", "kind", "pattern"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "pattern"],
                condition=Q(is_active=True),
                name="rule_active_pattern_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_list_display()} {self.get_kind_display().lower()}: {self.pattern}"

    @property
    def holds(self) -> bool:
        return self.list == RuleList.SUSPECT


class ReportReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    ABUSE = "abuse", "Abusive, hateful or harassing"
    PERSONAL = "personal", "Shares someone's private information"
    MISLEADING = "misleading", "Deliberately false or misleading"
    OFF_TOPIC = "off_topic", "Off topic"
    OTHER = "other", "Something else"


class Report(models.Model):
    """A reader's report on a comment. One per reader per comment: ``reporter_key`` is the
    account, or a keyed hash of the address for a reader who is not signed in."""

    comment = models.ForeignKey(
        "discussion.Comment", on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reporter_key = models.CharField(max_length=80)
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    detail = models.TextField(blank=True, max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter_key"], name="report_once_per_reader"
            )
        ]
        indexes = [models.Index(fields=["resolved_at", "comment"], name="report_open_idx")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on comment {self.comment_id}"


class AuditAction(models.TextChoices):
    PIPELINE = "pipeline", "Decided on arrival"
    APPROVE = "approve", "Approved"
    SPAM = "spam", "Marked spam"
    REMOVE = "remove", "Removed"
    RESTORE = "restore", "Restored"
    BAN = "ban", "Banned the commenter"
    REPORTED = "reported", "Hidden by readers' reports"
    ELSEWHERE = "elsewhere", "Changed outside moderation"
    BAN_ADD = "ban_add", "Added a ban"
    BAN_LIFT = "ban_lift", "Lifted a ban"
    RULE_ADD = "rule_add", "Added a rule"
    RULE_OFF = "rule_off", "Switched a rule off"


class AuditEntry(models.Model):
    """One decision, by a phase of the pipeline or by a person. Only ever added to.

    ``actor`` is empty for the pipeline and the site itself; ``actor_name`` keeps the name even
    if the account goes. Entries about bans and rules have no comment; ``subject`` says what
    they were about.
    """

    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    phase = models.CharField(max_length=20, blank=True)
    comment = models.ForeignKey(
        "discussion.Comment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    subject = models.CharField(max_length=200, blank=True)
    status_before = models.CharField(max_length=10, blank=True)
    status_after = models.CharField(max_length=10, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["comment", "created_at"], name="audit_comment_idx"),
            models.Index(fields=["created_at"], name="audit_created_idx"),
            models.Index(fields=["action", "created_at"], name="audit_action_idx"),
        ]
        permissions = [("moderate_comments", "Can moderate comments")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name}: {self.get_action_display()}"

    @property
    def is_by_pipeline(self) -> bool:
        return self.actor_id is None and self.action == AuditAction.PIPELINE
