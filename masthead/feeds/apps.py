from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "masthead.feeds"
    label = "feeds"
