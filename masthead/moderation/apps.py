from django.apps import AppConfig
from django.db.models.signals import post_save


class ModerationConfig(AppConfig):
    name = "masthead.moderation"
    label = "moderation"

    def ready(self):
        from masthead.discussion.models import Comment
        from masthead.discussion.signals import comment_visibility_changed
        from masthead.moderation import checks, receivers  # noqa: F401 (registers the checks)

        post_save.connect(
            receivers.audit_pipeline_decision, sender=Comment, dispatch_uid="moderation-audit"
        )
        comment_visibility_changed.connect(
            receivers.audit_change_elsewhere, dispatch_uid="moderation-audit-elsewhere"
        )
