"""Post pages in the page cache: shared with no trace of a reader, purged when a comment shows."""

import re

import pytest
from django.test import Client

from masthead.discussion import services
from masthead.discussion.forms import form_timestamp
from masthead.discussion.models import CommentStatus
from masthead.discussion.pipeline import SubmissionContext
from masthead.discussion.tests.factories import CommentFactory
from masthead.people.tests.factories import UserFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def post():
    return PostFactory(published=True, title="Harbour sale")


def _cached_twice(url: str) -> bytes:
    first = Client().get(url)
    assert first["X-Masthead-Cache"] == "miss"
    second = Client().get(url)
    assert second["X-Masthead-Cache"] == "hit"
    return second.content


def test_an_open_discussion_is_cached_without_a_cookie_or_token(post, django_assert_num_queries):
    CommentFactory(post=post, body="On the *annex*.")
    first = Client().get(post.get_absolute_url())
    assert first["X-Masthead-Cache"] == "miss"
    assert not first.cookies
    assert "public" in first["Cache-Control"]
    assert b"csrfmiddlewaretoken" not in first.content
    with django_assert_num_queries(0):
        second = Client().get(post.get_absolute_url())
    assert second["X-Masthead-Cache"] == "hit"
    assert second.content == first.content


def test_approving_a_comment_purges_the_post_and_the_lists(
    post, django_capture_on_commit_callbacks
):
    comment = CommentFactory(post=post, pending=True, body="Held, then shown.")
    _cached_twice(post.get_absolute_url())
    _cached_twice("/")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_status_set(comment=comment, status=CommentStatus.APPROVED)
    page = Client().get(post.get_absolute_url())
    assert page["X-Masthead-Cache"] == "miss"
    assert "Held, then shown." in page.content.decode()
    front = Client().get("/")
    assert front["X-Masthead-Cache"] == "miss"
    assert "1 comment</a>" in front.content.decode()


def test_a_comment_only_its_author_sees_purges_nothing(post, django_capture_on_commit_callbacks):
    comment = CommentFactory(post=post, pending=True)
    _cached_twice(post.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_status_set(comment=comment, status=CommentStatus.SPAM)
    assert Client().get(post.get_absolute_url())["X-Masthead-Cache"] == "hit"


def test_an_edit_purges_the_post_page_and_leaves_the_lists(
    post, django_capture_on_commit_callbacks
):
    comment = CommentFactory(post=post)
    _cached_twice(post.get_absolute_url())
    _cached_twice("/")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_edit(
            comment=comment,
            body="Second thoughts.",
            authored_ids=[comment.pk],
            context=SubmissionContext(post=post, ip_address="192.0.2.7", is_edit=True),
        )
    assert "Second thoughts." in Client().get(post.get_absolute_url()).content.decode()
    assert Client().get("/")["X-Masthead-Cache"] == "hit"


def test_a_guest_who_posted_gets_private_pages_with_their_edit_links(client, post, settings):
    settings.COMMENT_PIPELINE = "masthead.discussion.tests.test_services.held_for_review"
    _cached_twice(post.get_absolute_url())
    fields = {
        "name": "Ines Maro",
        "email": "ines.maro@example.net",
        "body": "Mine, awaiting moderation.",
        "timestamp": form_timestamp(post.pk),
        "action": "post",
    }
    client.post(f"/comments/{post.slug}/", fields)
    own = client.get(post.get_absolute_url())
    assert "X-Masthead-Cache" not in own
    assert own["Cache-Control"] == "private, no-store"
    html = own.content.decode()
    assert "Awaiting moderation" in html
    assert "Edit<span" in html
    assert 'name="csrfmiddlewaretoken"' in html
    shared = Client().get(post.get_absolute_url())
    assert shared["X-Masthead-Cache"] == "hit"
    assert not re.search(rb"Mine, awaiting|Edit<span|csrfmiddlewaretoken", shared.content)


def test_a_signed_in_reader_gets_the_form_in_the_page(client, post):
    client.force_login(UserFactory(first_name="Ines", last_name="Maro"))
    page = client.get(post.get_absolute_url())
    assert "X-Masthead-Cache" not in page
    assert "Commenting as <strong>Ines Maro</strong>" in page.content.decode()
