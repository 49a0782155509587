import datetime

import pytest
import time_machine
from django.utils import timezone

from masthead.publishing import services
from masthead.publishing.models import Post, PostStatus
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_every_change_of_the_words_keeps_a_revision():
    post = PostFactory.build(author=PostFactory().author)
    services.post_save(post=post)
    post.body = "A second draft."
    services.post_save(post=post)
    post.status = PostStatus.PUBLISHED  # not a change of words: no new revision
    services.post_save(post=post)
    bodies = list(post.revisions.order_by("id").values_list("body", flat=True))
    assert bodies == [PostFactory.body, "A second draft."]


def test_restoring_a_revision_brings_back_its_words_and_keeps_history():
    post = PostFactory.build(author=PostFactory().author, title="First title")
    services.post_save(post=post)
    first = post.revisions.get()
    post.title, post.body = "Second title", "Rewritten."
    services.post_save(post=post)
    services.revision_restore(revision=first)
    post.refresh_from_db()
    assert (post.title, post.body) == ("First title", PostFactory.body)
    assert post.revisions.count() == 3


def test_publishing_now_sets_the_time():
    post = PostFactory()
    services.post_publish(post=post)
    assert post.status == PostStatus.PUBLISHED
    assert post.is_published


def test_scheduled_post_appears_at_its_time_without_a_job():
    post = PostFactory()
    at = timezone.now() + datetime.timedelta(hours=3)
    services.post_publish(post=post, at=at)
    assert post.status == PostStatus.SCHEDULED
    assert not Post.objects.published().filter(pk=post.pk).exists()
    with time_machine.travel(at + datetime.timedelta(seconds=1)):
        assert Post.objects.published().filter(pk=post.pk).exists()
