import datetime

import factory
from django.utils import timezone

from masthead.discussion.models import Comment, CommentStatus, Subscription
from masthead.publishing.tests.factories import PostFactory


class CommentFactory(factory.django.DjangoModelFactory):
    """A stored comment, numbered after the post's last; use services to test the rules."""

    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory, published=True)
    number = factory.LazyAttribute(lambda o: _next_number(o.post))
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.LazyAttribute(lambda o: f"{o.name.lower().replace(' ', '.')}@example.org")
    body = "A point about the *harbour*."
    body_html = factory.LazyAttribute(lambda o: f"<p>{o.body}</p>")
    status = CommentStatus.APPROVED
    created_at = factory.LazyFunction(timezone.now)

    class Params:
        removed = factory.Trait(status=CommentStatus.REMOVED, status_reason="removed")
        spam = factory.Trait(status=CommentStatus.SPAM, status_reason="spam")
        pending = factory.Trait(status=CommentStatus.PENDING)
        old = factory.Trait(
            created_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=40))
        )


def _next_number(post) -> int:
    last = Comment.objects.filter(post=post).order_by("-number").first()
    return last.number + 1 if last else 1


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    post = factory.SubFactory(PostFactory, published=True)
    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")
    is_confirmed = True
