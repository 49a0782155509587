"""The audit log's view of changes moderation does not make itself.

The pipeline's own decisions are not among them: ``decide`` hands its audit entry to discussion
with the decision (``Decision.along``), stored with the comment. Other status changes (a reader
deleting their own comment, an import updating one) arrive through discussion's
``comment_visibility_changed`` once committed. Moderation's own services and the pipeline mark
the comments they audit, so nothing is written twice. New comments that did not pass the
pipeline (imports) keep their reason on the comment and get no entry.
"""

from masthead.moderation.models import AuditAction, AuditEntry


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
