import datetime

import factory
from django.utils import timezone

from masthead.people.tests.factories import AuthorProfileFactory
from masthead.publishing.models import Category, Post, PostStatus, Tag


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Section {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"topic {n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Council weighs harbour plan, part {n}")
    dek = "A short lede for the post."
    body = "The council met on *Tuesday*.\n\nIt voted to delay."
    author = factory.SubFactory(AuthorProfileFactory)
    status = PostStatus.DRAFT

    class Params:
        published = factory.Trait(
            status=PostStatus.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1)),
        )
        scheduled = factory.Trait(
            status=PostStatus.SCHEDULED,
            published_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1)),
        )

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)
