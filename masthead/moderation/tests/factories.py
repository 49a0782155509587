import factory
from django.contrib.auth.models import Group

from masthead.discussion.tests.factories import CommentFactory
from masthead.moderation.models import Ban, BanKind, Report, ReportReason, Rule, RuleKind, RuleList
from masthead.people.tests.factories import UserFactory


class ModeratorFactory(UserFactory):
    """A staff account in the "Moderators" group (created by a migration)."""

    username = factory.Sequence(lambda n: f"moderator{n}")
    is_staff = True

    @factory.post_generation
    def moderators_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name="Moderators"))


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
