from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "masthead.moderation"
    label = "moderation"

    def ready(self):
        from masthead.discussion.signals import comment_visibility_changed
        from masthead.moderation import checks, receivers  # noqa: F401 (registers the checks)

        comment_visibility_changed.connect(
            receivers.audit_change_elsewhere, dispatch_uid="moderation-audit-elsewhere"
        )
