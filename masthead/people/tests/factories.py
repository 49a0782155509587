import factory

from masthead.people.models import AuthorProfile, AuthorStatus, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    class Params:
        staff = factory.Trait(is_staff=True, is_superuser=True)


class AuthorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorProfile

    display_name = factory.Sequence(lambda n: f"Writer Number {n}")
    bio = "Covers the city and its *politics*."

    class Params:
        retired = factory.Trait(status=AuthorStatus.RETIRED, status_since="2026-06-30")
        in_memoriam = factory.Trait(status=AuthorStatus.IN_MEMORIAM, status_since="2025-02-11")
