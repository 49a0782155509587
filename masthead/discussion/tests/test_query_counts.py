"""A thread costs the same number of queries at 20 comments as at 500."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.discussion import services
from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.tests.factories import CommentFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
MEASURED = {}


def _grow(post, total):
    """Top-level comments, replies three deep, @-replies and removed placeholders, in bulk."""
    have = Comment.objects.filter(post=post).count()
    rows = []
    for number in range(have + 1, total + 1):
        rows.append(
            Comment(
                post=post,
                number=number,
                name=f"Reader {number % 37}",
                email=f"reader{number % 37}@example.org",
                body=f"@Reader {(number - 1) % 37}: point {number}" if number % 5 == 0 else "Hm.",
                body_html=f"<p>Point {number}</p>",
                status=CommentStatus.REMOVED if number % 23 == 0 else CommentStatus.APPROVED,
                created_at=timezone.now(),
            )
        )
    Comment.objects.bulk_create(rows)
    by_number = {c.number: c for c in Comment.objects.filter(post=post)}
    for number, comment in by_number.items():
        if number > have and number % 3 and number > 3:
            comment.parent = by_number[number - (number % 3)]
    Comment.objects.bulk_update(by_number.values(), ["parent"])
    services.mention_resolve_for_post(post=post)
    services.comment_count_refresh(post=post)


def _queries(client, url, status=200):
    headers = {"HX-Request": "true"} if "/thread/" in url else {}
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers)
    assert response.status_code == status, url
    return len(context.captured_queries)


@pytest.mark.parametrize("sort", ["oldest", "newest"])
def test_a_thread_page_does_not_grow_with_the_thread(client, sort):
    post = PostFactory(published=True)
    url = f"{post.get_absolute_url()}?csort={sort}"
    _grow(post, 20)
    small = (_queries(client, url), _queries(client, url))  # the thread rendered, then kept
    _grow(post, 500)
    large = (_queries(client, url), _queries(client, url))
    assert client.get(url).content.decode().count("<article") > 250
    MEASURED[sort] = (small, large)
    assert large == small
    assert small[0] <= 7
    assert small[1] < small[0]  # kept: the thread's marker instead of its rows


def test_thread_fragments_and_feeds_do_not_grow_with_the_thread(client):
    post = PostFactory(published=True)
    urls = {
        f"/comments/{post.slug}/feed/": 200,
        "/comments/feed/": 200,
        f"/comments/{post.slug}/10/": 302,
        f"/comments/{post.slug}/poll/?after=3": 200,
        f"/comments/{post.slug}/thread/?seen=3&focus=4": 200,
    }
    _grow(post, 20)
    small = {url: _queries(client, url, status) for url, status in urls.items()}
    _grow(post, 500)
    large = {url: _queries(client, url, status) for url, status in urls.items()}
    assert large == small
    assert max(small.values()) <= 3


def test_the_front_page_shows_counts_without_a_query_per_post(client):
    posts = PostFactory.create_batch(3, published=True)
    for post in posts:
        CommentFactory(post=post)
        services.comment_count_refresh(post=post)
    few = _queries(client, "/")
    for post in PostFactory.create_batch(5, published=True):
        CommentFactory.create_batch(2, post=post)
        services.comment_count_refresh(post=post)
    assert _queries(client, "/") == few
    assert "2 comments</a>" in client.get("/").content.decode()
