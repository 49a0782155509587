import factory
from django.contrib.auth.models import Group, Permission

from masthead.discussion.tests.factories import CommentFactory
from masthead.moderation.models import Ban, BanKind, Report, ReportReason, Rule, RuleKind, RuleList
from masthead.people.tests.factories import UserFactory


def moderators_group() -> Group:
    """The group a migration creates; a transactional test's flush empties it, so make it again."""
    group, created = Group.objects.get_or_create(name="Moderators")
    if created:
        group.permissions.add(
            Permission.objects.get(
                codename="moderate_comments", content_type__app_label="moderation"
            )
        )
    return group


class ModeratorFactory(UserFactory):
    """A staff account in the "Moderators" group."""

    username = factory.Sequence(lambda n: f"moderator{n}")
    is_staff = True

    @factory.post_generation
    def moderators_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(moderators_group())


class BanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ban

    kind = BanKind.EMAIL
    email = factory.Sequence(lambda n: f"banned{n}@example.net")


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rule

    kind = RuleKind.WORD
    list = RuleList.SUSPECT
    pattern = factory.Sequence(lambda n: f"word{n}")

    class Params:
        banned = factory.Trait(list=RuleList.BANNED)
        domain = factory.Trait(kind=RuleKind.DOMAIN, pattern="spam.example.com")


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    comment = factory.SubFactory(CommentFactory)
    reporter_key = factory.Sequence(lambda n: f"ip:reader{n}")
    reason = ReportReason.ABUSE
