from django.db import models


class RateLimitCounter(models.Model):
    """One key's count in one window, for rate limits kept in the database (see ratelimit.py)."""

    key = models.CharField(max_length=160, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
