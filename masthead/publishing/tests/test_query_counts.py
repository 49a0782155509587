"""Reader pages run a fixed number of queries, however many posts and terms there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.people.tests.factories import AuthorProfileFactory
from masthead.publishing.tests.factories import CategoryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/2026/",
    "/2026/3/",
    "/2026/3/14/",
    "/category/politics/",
    "/tag/harbour/",
    "/author/ada-quill/",
    "/feed/",
    "/feed/atom/",
    "/category/politics/feed/atom/",
    "/tag/harbour/feed/",
    "/author/ada-quill/feed/atom/",
    "/sitemap.xml",
    "/search/?q=harbour",
]


def _add_posts(count, author, category, tag):
    from django.utils import timezone

    when = timezone.now().replace(year=2026, month=3, day=14, hour=9)
    for _ in range(count):
        extra = [CategoryFactory(parent=category)]
        PostFactory(
            published=True,
            published_at=when,
            author=author,
            body="The harbour again.",
            categories=[category, *extra],
            tags=[tag, TagFactory(), TagFactory()],
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.fixture
def site():
    author = AuthorProfileFactory(display_name="Ada Quill")
    return author, CategoryFactory(name="Politics"), TagFactory(name="harbour")


def test_list_pages_and_feeds_do_not_grow_with_posts_or_terms(client, site):
    _add_posts(3, *site)
    small = {url: _queries(client, url) for url in PAGES}
    _add_posts(12, *site)
    large = {url: _queries(client, url) for url in PAGES}
    assert large == small
    assert max(small.values()) <= 10


def test_post_page_queries_do_not_grow_with_terms(client, site, settings):
    settings.THREAD_CACHE_SECONDS = 0  # each page renders its thread: counted the same both times
    author = site[0]
    _add_posts(1, *site)
    post = author.posts.get()
    few = _queries(client, post.get_absolute_url())
    post.categories.add(*CategoryFactory.create_batch(8))
    post.tags.add(*TagFactory.create_batch(8))
    assert _queries(client, post.get_absolute_url()) == few <= 6
