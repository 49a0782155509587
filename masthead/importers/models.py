from django.db import models
from django.utils import timezone


class ImportRunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"


class ImportRun(models.Model):
    """One run of an importer: what it read, how far it got and what it did."""

    source = models.CharField(max_length=20)  # "wordpress", "disqus"
    filename = models.CharField(max_length=500)
    is_dry_run = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ImportRunStatus.choices, default=ImportRunStatus.RUNNING
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    items_done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} import of {self.filename} ({self.status})"
