from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "masthead.people"
    label = "people"
