"""API tokens: a random secret shown once, stored as its SHA-256, with scopes and an expiry.

A token reads ``mh_<prefix>_<secret>``. The prefix is stored in the clear so a request finds its
row with one indexed lookup (and so staff can name a token without seeing it); the secret is 32
random bytes. Only ``sha256(secret)`` is kept. A slow password hash protects secrets people
choose, which are guessable; a 256-bit random secret cannot be guessed, so a fast hash loses no
safety and keeps every API request from paying for hundreds of milliseconds of PBKDF2.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiScope(models.TextChoices):
    READ = "read", "Read: unpublished posts too"
    COMMENT = "comment", "Comment as this user"
    MODERATE = "moderate", "Moderate comments"
    PUBLISH = "publish", "Create, change and publish posts"


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at=None, user__is_active=True).filter(
            models.Q(expires_at=None) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What uses it, e.g. “Newsroom app”.")
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} (mh_{self.prefix}_…)"

    @property
    def is_usable(self) -> bool:
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > timezone.now())
            and self.user.is_active
        )

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes
