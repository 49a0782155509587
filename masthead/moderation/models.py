from django.db import models


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
