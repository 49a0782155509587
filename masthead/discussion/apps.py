from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "masthead.discussion"
    label = "discussion"

    def ready(self):
        from masthead.discussion import receivers
        from masthead.discussion.signals import comment_visibility_changed

        comment_visibility_changed.connect(
            receivers.comment_pages_purge, dispatch_uid="discussion-page-cache-purge"
        )
