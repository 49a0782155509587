from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PublishingConfig(AppConfig):
    name = "masthead.publishing"
    label = "publishing"

    def ready(self):
        from masthead.publishing import purge  # noqa: F401 (connects the page-cache purges)
        from masthead.publishing.search import sqlite_index_ensure

        post_migrate.connect(sqlite_index_ensure, sender=self)
