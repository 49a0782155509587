"""Every kind of change purges the pages that show it, and only after it commits."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.utils import timezone

from masthead.core import pagecache
from masthead.people.tests.factories import AuthorProfileFactory
from masthead.publishing import purge, services
from masthead.publishing.tests.factories import CategoryFactory, PostFactory, TagFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]
# Comments closed: an open comment form carries a per-reader CSRF token, which is never cached.
CLOSED = {"published": True, "is_comments_open": False}


@pytest.fixture
def site():
    author = AuthorProfileFactory(display_name="Ada Quill")
    parent = CategoryFactory(name="Politics")
    child = CategoryFactory(name="City hall", parent=parent)
    tag = TagFactory(name="harbour")
    post = PostFactory(
        **CLOSED, title="The harbour sale", author=author, categories=[child], tags=[tag]
    )
    other = PostFactory(**CLOSED, title="Another story entirely", author=author)
    unrelated = PostFactory(**CLOSED, title="Unrelated")
    return post, other, unrelated


def _is_cached(client, url):
    return client.get(url).get("X-Masthead-Cache") == "hit"


def _warm(client, *urls):
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_editing_a_post_purges_its_page_lists_terms_and_feeds(
    client, site, django_capture_on_commit_callbacks
):
    post, other, unrelated = site
    touched = [
        post.get_absolute_url(),
        "/",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/category/city-hall/",
        "/category/politics/",
        "/category/politics/feed/atom/",
        "/tag/harbour/",
        "/tag/harbour/feed/",
        "/author/ada-quill/",
        "/author/ada-quill/feed/",
        f"/{post.published_at.year}/",
    ]
    _warm(client, *touched, other.get_absolute_url(), unrelated.get_absolute_url())
    post.title = "The harbour sale, revised"
    with django_capture_on_commit_callbacks(execute=True):
        services.post_save(post=post)
    for url in touched:
        assert not _is_cached(client, url), url
    assert "The harbour sale, revised" in client.get(post.get_absolute_url()).content.decode()
    assert _is_cached(client, other.get_absolute_url())
    assert _is_cached(client, unrelated.get_absolute_url())


def test_nothing_is_purged_before_the_commit(client, site, django_capture_on_commit_callbacks):
    post = site[0]
    _warm(client, post.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.post_save(post=post)
    assert _is_cached(client, post.get_absolute_url())
    callbacks[0]()
    assert not _is_cached(client, post.get_absolute_url())


def test_every_query_string_variant_of_a_purged_path_goes(client, site, settings):
    settings.POSTS_PER_PAGE = 1
    _warm(client, "/", "/?page=2", "/?utm_source=x")
    pagecache.purge_paths(["/"])
    assert not any(_is_cached(client, url) for url in ["/", "/?page=2", "/?utm_source=x"])


def test_publishing_shows_the_post_on_lists_and_updates_the_authors_count(
    client, site, django_capture_on_commit_callbacks
):
    post, other, unrelated = site
    _warm(client, "/", other.get_absolute_url(), unrelated.get_absolute_url())
    draft = PostFactory(title="Fresh off the desk", author=post.author)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_publish(post=draft)
    assert "Fresh off the desk" in client.get("/").content.decode()
    assert "3 posts" in client.get(other.get_absolute_url()).content.decode()
    assert _is_cached(client, unrelated.get_absolute_url())


def test_saving_a_draft_purges_nothing(client, site, django_capture_on_commit_callbacks):
    _warm(client, "/")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_save(post=PostFactory(title="Not yet"))
    assert _is_cached(client, "/")


def test_a_scheduled_post_appears_when_its_time_comes(
    client, site, django_capture_on_commit_callbacks
):
    _warm(client, "/", site[1].get_absolute_url())
    at = timezone.now() + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_publish(post=PostFactory(title="Embargoed until noon"), at=at)
    assert _is_cached(client, "/")
    assert "Embargoed until noon" not in client.get("/").content.decode()
    with time_machine.travel(at + datetime.timedelta(seconds=5), tick=False):
        assert "Embargoed until noon" in client.get("/").content.decode()
        assert not _is_cached(client, site[1].get_absolute_url())


def test_the_edge_and_the_cdn_hear_when_a_scheduled_post_comes_due(
    client, site, edge_dir, django_capture_on_commit_callbacks
):
    at = timezone.now() + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_publish(post=PostFactory(title="Embargoed"), at=at)
    client.get("/")
    assert pagecache._watch["at"] == at.timestamp()
    assert (edge_dir / "index.html").exists()
    with time_machine.travel(at + datetime.timedelta(seconds=1), tick=False):
        pagecache.schedule_came_due(at.timestamp())
    assert not (edge_dir / "index.html").exists()


def test_renaming_a_term_purges_every_page(client, site, django_capture_on_commit_callbacks):
    post = site[0]
    _warm(client, post.get_absolute_url(), site[2].get_absolute_url())
    tag = post.tags.get()
    tag.name = "waterfront"
    with django_capture_on_commit_callbacks(execute=True):
        tag.save()
    assert "waterfront" in client.get(post.get_absolute_url()).content.decode()
    assert not _is_cached(client, site[2].get_absolute_url())


def test_renaming_a_category_purges_every_page(client, site, django_capture_on_commit_callbacks):
    post = site[0]
    _warm(client, post.get_absolute_url())
    category = post.categories.get()
    category.name = "Town hall"
    with django_capture_on_commit_callbacks(execute=True):
        category.save()
    assert "Town hall" in client.get(post.get_absolute_url()).content.decode()


def test_an_author_change_purges_every_page(client, site, django_capture_on_commit_callbacks):
    post = site[0]
    _warm(client, post.get_absolute_url())
    post.author.display_name = "Ada Quill-Marsh"
    with django_capture_on_commit_callbacks(execute=True):
        post.author.save()
    assert "Ada Quill-Marsh" in client.get(post.get_absolute_url()).content.decode()


def test_moving_a_post_to_another_author_purges_both_authors_pages(
    client, site, django_capture_on_commit_callbacks
):
    post, other, _ = site
    newcomer = AuthorProfileFactory(display_name="Ben Ostrander")
    _warm(client, "/author/ada-quill/", "/author/ben-ostrander/", other.get_absolute_url())
    post.author = newcomer
    with django_capture_on_commit_callbacks(execute=True):
        services.post_save(post=post)
    assert "The harbour sale" not in client.get("/author/ada-quill/").content.decode()
    assert "The harbour sale" in client.get("/author/ben-ostrander/").content.decode()
    assert "1 post<" in client.get(other.get_absolute_url()).content.decode()


def test_changing_terms_purges_the_old_and_the_new(
    client, site, django_capture_on_commit_callbacks
):
    post = site[0]
    newer = TagFactory(name="ferries")
    _warm(client, "/tag/harbour/", "/tag/ferries/")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_save(post=post)
        post.tags.set([newer])
    assert "The harbour sale" not in client.get("/tag/harbour/").content.decode()
    assert "The harbour sale" in client.get("/tag/ferries/").content.decode()


def test_a_new_slug_purges_the_old_address(client, site, django_capture_on_commit_callbacks):
    post = site[0]
    old_url = post.get_absolute_url()
    _warm(client, old_url)
    post.slug = "harbour-sale-final"
    with django_capture_on_commit_callbacks(execute=True):
        services.post_save(post=post)
    assert client.get(old_url).status_code == 404


def test_restoring_a_revision_purges(client, site, django_capture_on_commit_callbacks):
    post = site[0]
    revision = post.revisions.create(title=post.title, body="Back to the first draft.")
    _warm(client, post.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_restore(revision=revision)
    assert "Back to the first draft." in client.get(post.get_absolute_url()).content.decode()


def test_deleting_a_post_purges_its_page_and_lists(
    client, site, django_capture_on_commit_callbacks
):
    post = site[0]
    url = post.get_absolute_url()
    _warm(client, url, "/")
    with django_capture_on_commit_callbacks(execute=True):
        post.delete()
    assert client.get(url).status_code == 404
    assert "The harbour sale" not in client.get("/").content.decode()


def test_the_paths_a_post_touches(site):
    post = site[0]
    when = timezone.localtime(post.published_at)
    paths = purge.post_paths(post)
    assert {
        post.get_absolute_url(),
        f"/{when.year}/{when.month}/{when.day}/",
        "/category/politics/feed/",
        "/tag/harbour/feed/atom/",
        "/author/ada-quill/feed/",
    } <= paths


class _Recorder(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        self.received.append((self.headers["Content-Type"], json.loads(self.rfile.read(length))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook(settings):
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PURGE_WEBHOOK = f"http://127.0.0.1:{server.server_port}/purge"
    yield _Recorder.received
    server.shutdown()


def test_the_purge_webhook_receives_the_urls(site, webhook, settings, monkeypatch):
    threads = []
    real = pagecache.notify_webhook
    monkeypatch.setattr(pagecache, "notify_webhook", lambda urls: threads.append(real(urls)))
    post = site[0]
    purge.post_purge(post_id=post.pk, before=None)
    threads[0].join(timeout=5)
    content_type, body = webhook[0]
    assert content_type == "application/json"
    assert settings.SITE_URL + post.get_absolute_url() in body["urls"]
    assert settings.SITE_URL + "/feed/" in body["urls"]


def test_a_dead_webhook_does_not_break_the_purge(site, settings, client):
    settings.PURGE_WEBHOOK = "http://127.0.0.1:9/nothing-listens-here"
    _warm(client, "/")
    pagecache.notify_webhook(["x"]).join(timeout=10)
    pagecache.purge_paths(["/"])
    assert not _is_cached(client, "/")
