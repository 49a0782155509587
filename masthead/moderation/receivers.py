"""The audit log's view of changes moderation does not make itself.

- The pipeline decides before the comment has a row; ``decide`` leaves its trail on the
  comment, and the entry is written when the comment is saved, in the same transaction.
- Other status changes (a reader deleting their own comment, an import updating one) arrive
  through discussion's ``comment_visibility_changed`` once committed. Moderation's own
  services mark the comments they audit, so nothing is written twice. New comments that did
  not pass the pipeline (imports, the demo) keep their reason on the comment and get no entry.
"""

from masthead.core import database
from masthead.moderation.models import AuditAction, AuditEntry


def audit_pipeline_decision(sender, instance, created, **kwargs) -> None:
    trail = instance.__dict__.pop("_moderation_trail", None)
    if trail is None:
        return
    entry = AuditEntry(
        actor=None,
        actor_name="pipeline",
        action=AuditAction.PIPELINE,
        phase=trail.phase,
        comment=instance,
        status_before="" if created else trail.status_before,
        status_after=instance.status,
        reason=instance.status_reason[:300],
    )
    database.insert(entry)  # once for every comment posted
    instance._moderation_audited = instance.status


def audit_change_elsewhere(sender, comment, previous_status, status, **kwargs) -> None:
    if previous_status is None or previous_status == status:
        return
    if getattr(comment, "_moderation_audited", None) == status:
        return
    AuditEntry.objects.create(
        actor=None,
        actor_name="site",
        action=AuditAction.ELSEWHERE,
        comment_id=comment.pk,
        status_before=previous_status,
        status_after=status,
        reason=(comment.status_reason or "")[:300],
    )
