"""The page cache on the reader pages: hits, what is never cached or shared, headers, the edge."""

import asyncio
import os
import time

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse

from masthead.asgi import django_application
from masthead.core import httpcache, pagecache
from masthead.people.tests.factories import UserFactory
from masthead.publishing import services
from masthead.publishing.tests.factories import CategoryFactory, PostFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def post():
    # Comments closed: an open comment form carries a per-reader CSRF token, which is never cached.
    return PostFactory(
        published=True,
        title="The harbour sale",
        categories=[CategoryFactory()],
        is_comments_open=False,
    )


def test_a_second_anonymous_visit_is_served_from_the_cache(client, post, django_assert_num_queries):
    first = client.get(post.get_absolute_url())
    assert first["X-Masthead-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(post.get_absolute_url())
    assert second["X-Masthead-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize("url", ["/", "/feed/", "/feed/atom/", "/sitemap.xml", "/2026/"])
def test_lists_feeds_and_the_sitemap_are_cached(client, post, url):
    post.published_at = post.published_at.replace(year=2026)
    post.save()
    assert client.get(url)["X-Masthead-Cache"] == "miss"
    assert client.get(url)["X-Masthead-Cache"] == "hit"


def test_each_query_string_is_its_own_entry(client, post, settings):
    settings.POSTS_PER_PAGE = 1
    PostFactory(published=True, title="An older story", is_comments_open=False)
    first, second = client.get("/"), client.get("/?page=2")
    assert second["X-Masthead-Cache"] == "miss"
    assert client.get("/?page=2").content == second.content != first.content


def test_signed_in_readers_get_fresh_private_pages(client, post):
    anonymous = client.get(post.get_absolute_url())
    client.force_login(UserFactory())
    signed_in = client.get(post.get_absolute_url())
    assert "X-Masthead-Cache" not in signed_in
    assert signed_in["Cache-Control"] == "private, no-store"
    client.logout()
    client.cookies.clear()
    assert client.get(post.get_absolute_url()).content == anonymous.content


@pytest.mark.parametrize("cookie", ["sessionid", "messages", "masthead_fresh"])
def test_personal_cookies_bypass_the_cache_both_ways(client, post, cookie):
    client.get(post.get_absolute_url())
    client.cookies[cookie] = "1"
    personal = client.get(post.get_absolute_url())
    assert "X-Masthead-Cache" not in personal
    assert "no-store" in personal["Cache-Control"]
    del client.cookies[cookie]
    assert client.get(post.get_absolute_url())["X-Masthead-Cache"] == "hit"


def test_a_personal_first_visit_is_not_stored_for_others(client, post):
    client.cookies["masthead_fresh"] = "1"
    client.get(post.get_absolute_url())
    del client.cookies["masthead_fresh"]
    assert client.get(post.get_absolute_url())["X-Masthead-Cache"] == "miss"


def test_admin_and_preview_are_never_cached(client, post):
    client.force_login(UserFactory(staff=True))
    for url in ["/admin/", post.get_preview_url()]:
        response = client.get(url)
        assert "X-Masthead-Cache" not in response
        assert "no-store" in response["Cache-Control"]
    client.logout()
    client.cookies.clear()
    for _ in range(2):
        login = client.get("/admin/login/")
        assert "X-Masthead-Cache" not in login


def test_posts_and_missing_pages_are_not_cached(client, post):
    assert "X-Masthead-Cache" not in client.post("/")
    assert client.get("/")["X-Masthead-Cache"] == "miss"
    assert client.get("/2026/1/1/no-such-post/").status_code == 404
    assert "X-Masthead-Cache" not in client.get("/2026/1/1/no-such-post/")
    client.get("/search/?q=harbour")
    assert "X-Masthead-Cache" not in client.get("/search/?q=harbour")


@pytest.mark.parametrize("url", ["/search/?q=x", "/healthz", "/no/such/page/", "/admin/login/"])
def test_pages_that_are_never_cached_cost_no_cache_keys(client, url):
    client.get(url)
    path = url.split("?")[0]
    assert pagecache._cache().get(pagecache._version_key(path)) is None


def test_responses_that_set_cookies_or_say_private_are_not_storable():
    with_cookie = HttpResponse("x")
    with_cookie.set_cookie("csrftoken", "abc")
    private = HttpResponse("x", headers={"Cache-Control": "private"})
    assert not httpcache.is_storable(with_cookie)
    assert not httpcache.is_storable(private)
    assert httpcache.is_storable(HttpResponse("x"))


def test_a_public_page_that_sets_a_cookie_is_private_and_not_stored(client, post, monkeypatch):
    from masthead.publishing import views

    real = views.render

    def render_with_cookie(*args, **kwargs):
        response = real(*args, **kwargs)
        response.set_cookie("csrftoken", "per-reader")
        return response

    monkeypatch.setattr(views, "render", render_with_cookie)
    first = client.get(post.get_absolute_url())
    assert first["Cache-Control"] == "private, no-store"
    assert "X-Masthead-Cache" not in client.get(post.get_absolute_url())


def test_public_pages_say_how_long_shared_caches_may_keep_them(client, post, settings):
    settings.PAGE_CACHE_SECONDS = 300
    response = client.get(post.get_absolute_url())
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=0", "s-maxage=300", "stale-while-revalidate=60"}
    assert response["ETag"]


def test_conditional_requests_get_304_from_django_and_from_the_cache(client, post):
    url = post.get_absolute_url()
    etag = client.get(url, headers={"cache-control": "x"})["ETag"]
    hit = client.get(url, headers={"if-none-match": etag})
    assert hit.status_code == 304
    assert hit["ETag"] == etag
    feed = client.get("/feed/")
    again = client.get("/feed/", headers={"if-modified-since": feed["Last-Modified"]})
    assert again.status_code == 304


def test_a_304_from_django_on_a_miss(client, post):
    last_modified = client.get("/feed/")["Last-Modified"]
    pagecache.purge_all()
    response = client.get("/feed/", headers={"if-modified-since": last_modified})
    assert response.status_code == 304


def test_the_cache_can_be_switched_off(client, post, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(post.get_absolute_url())
    assert "X-Masthead-Cache" not in client.get(post.get_absolute_url())


def test_pages_are_written_to_the_edge_by_content_type(client, post, edge_dir):
    client.get(post.get_absolute_url())
    client.get("/feed/")
    client.get("/feed/atom/")
    client.get("/sitemap.xml")
    client.get("/?page=1")
    page = edge_dir / post.get_absolute_url().strip("/") / "index.html"
    assert page.read_bytes() == client.get(post.get_absolute_url()).content
    assert (edge_dir / "feed" / "index.rss").read_bytes().startswith(b"<?xml")
    assert b"<feed" in (edge_dir / "feed" / "atom" / "index.atom").read_bytes()
    assert (edge_dir / "sitemap.xml").exists()
    assert not (edge_dir / "index.html").exists()
    assert not [p for p in edge_dir.rglob("*") if p.name.startswith(".tmp-")]


def test_purges_delete_edge_files_and_the_next_visit_rewrites_them(client, post, edge_dir):
    url = post.get_absolute_url()
    client.get(url)
    page = edge_dir / url.strip("/") / "index.html"
    assert page.exists()
    pagecache.purge_paths([url])
    assert not page.exists()
    assert client.get(url)["X-Masthead-Cache"] == "miss"
    assert page.exists()
    pagecache.purge_all()
    assert not page.exists()


def test_edge_files_older_than_the_cache_lifetime_are_swept(client, post, edge_dir, settings):
    client.get(post.get_absolute_url())
    client.get("/feed/")
    assert pagecache._sweep["timer"] is not None
    page = edge_dir / post.get_absolute_url().strip("/") / "index.html"
    old = time.time() - settings.PAGE_CACHE_SECONDS - 5
    os.utime(page, (old, old))
    assert pagecache.edge_sweep() == 1
    assert not page.exists()
    assert (edge_dir / "feed" / "index.rss").exists()


def test_personal_visits_never_reach_the_edge(client, post, edge_dir):
    client.force_login(UserFactory())
    client.get(post.get_absolute_url())
    assert not edge_dir.exists() or not any(edge_dir.rglob("*.html"))


def test_an_edge_file_from_a_render_that_raced_a_purge_is_removed(post, edge_dir):
    url = post.get_absolute_url()
    found = pagecache.lookup("http", "testserver", url, "")
    pagecache.purge_paths([url])
    pagecache.store(found, status=200, headers=[], body=b"old", content_type="text/html")
    assert not (edge_dir / url.strip("/") / "index.html").exists()
    assert pagecache.lookup("http", "testserver", url, "").entry is None


def _asgi(application, path, *, method="GET", headers=()):
    sent, called = [], []

    async def inner(scope, receive, send):
        called.append(scope["path"])

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "scheme": "http",
        "path": path,
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
    }
    asyncio.run(httpcache.PageCacheASGI(application or inner)(scope, receive, send))
    return sent, called


def test_the_asgi_fast_path_answers_hits_without_django(client, post):
    url = post.get_absolute_url()
    body = client.get(url).content
    sent, called = _asgi(None, url)
    assert called == []
    assert sent[0]["status"] == 200
    assert (b"x-masthead-cache", b"hit") in [(k.lower(), v) for k, v in sent[0]["headers"]]
    assert sent[1]["body"] == body
    head, _ = _asgi(None, url, method="HEAD")
    assert head[1]["body"] == b""


def test_the_asgi_fast_path_passes_misses_and_personal_requests_on(client, post):
    url = post.get_absolute_url()
    assert _asgi(None, url)[1] == [url]
    client.get(url)
    assert _asgi(None, url, headers=[(b"cookie", b"masthead_fresh=1")])[1] == [url]
    assert _asgi(None, url, method="POST")[1] == [url]


def test_the_asgi_fast_path_answers_conditional_requests(client, post):
    url = post.get_absolute_url()
    etag = client.get(url)["ETag"].encode()
    sent, called = _asgi(None, url, headers=[(b"if-none-match", etag)])
    assert called == [] and sent[0]["status"] == 304 and sent[1]["body"] == b""


def test_the_fast_path_and_django_agree_on_the_scheme_behind_a_proxy(client, post):
    url = post.get_absolute_url()
    client.get(url, headers={"x-forwarded-proto": "https", "host": "testserver"})
    https = [(b"x-forwarded-proto", b"https")]
    assert _asgi(None, url, headers=https)[1] == []
    assert _asgi(None, url)[1] == [url]


def test_the_asgi_application_is_wrapped():
    from masthead import asgi

    assert isinstance(asgi.application, httpcache.PageCacheASGI)
    assert asgi.application.application is django_application


def _wsgi(path, *, method="GET", headers=None):
    called, started = [], []

    def inner(environ, start_response):
        called.append(environ["PATH_INFO"])
        return []

    environ = {
        "REQUEST_METHOD": method,
        "wsgi.url_scheme": "http",
        "PATH_INFO": path.encode().decode("latin-1"),
        "QUERY_STRING": "",
        "HTTP_HOST": "testserver",
        **(headers or {}),
    }
    body = httpcache.PageCacheWSGI(inner)(environ, lambda *args: started.append(args))
    return started, b"".join(body), called


def test_the_wsgi_fast_path_answers_hits_without_django(client, post):
    url = post.get_absolute_url()
    page = client.get(url).content
    started, body, called = _wsgi(url)
    assert called == []
    status, headers = started[0]
    assert status == "200 OK"
    assert ("X-Masthead-Cache", "hit") in headers
    assert ("Content-Length", str(len(page))) in headers
    assert body == page
    assert _wsgi(url, method="HEAD")[1] == b""


def test_the_wsgi_fast_path_passes_misses_and_personal_requests_on(client, post):
    url = post.get_absolute_url()
    assert _wsgi(url)[2] == [url]
    client.get(url)
    assert _wsgi(url, headers={"HTTP_COOKIE": "masthead_fresh=1"})[2] == [url]
    assert _wsgi(url, method="POST")[2] == [url]


def test_the_wsgi_fast_path_answers_conditional_requests(client, post):
    url = post.get_absolute_url()
    etag = client.get(url)["ETag"]
    started, body, called = _wsgi(url, headers={"HTTP_IF_NONE_MATCH": etag})
    assert called == [] and started[0][0] == "304 Not Modified" and body == b""


def test_the_wsgi_fast_path_passes_on_a_path_that_is_not_utf8(client, post):
    client.get(post.get_absolute_url())
    environ_path = b"/\xff/".decode("latin-1")  # how a WSGI server hands over the byte 0xff
    called = []
    httpcache.PageCacheWSGI(lambda environ, start: called.append(environ) or [])(
        {"REQUEST_METHOD": "GET", "PATH_INFO": environ_path, "HTTP_HOST": "testserver"}, None
    )
    assert len(called) == 1


def test_the_wsgi_fast_path_and_django_agree_on_the_scheme_behind_a_proxy(client, post):
    url = post.get_absolute_url()
    client.get(url, headers={"x-forwarded-proto": "https", "host": "testserver"})
    assert _wsgi(url, headers={"HTTP_X_FORWARDED_PROTO": "https"})[2] == []
    assert _wsgi(url)[2] == [url]


def test_the_wsgi_application_is_wrapped():
    from masthead import wsgi

    assert isinstance(wsgi.application, httpcache.PageCacheWSGI)
    assert wsgi.application.application is wsgi.django_application


def test_a_hit_reuses_the_entry_it_unpickled_until_the_entry_changes(
    client, post, django_capture_on_commit_callbacks
):
    if not isinstance(pagecache._cache(), LocMemCache):
        pytest.skip("Redis hands back new bytes each time; this is the local-memory cache's")
    url = post.get_absolute_url()
    client.get(url)
    first = pagecache.lookup("http", "testserver", url, "").entry
    assert pagecache.lookup("http", "testserver", url, "").entry is first
    post.title = "The harbour sale, revised"
    with django_capture_on_commit_callbacks(execute=True):
        services.post_save(post=post)
    client.get(url)
    again = pagecache.lookup("http", "testserver", url, "").entry
    assert again is not first
    assert b"The harbour sale, revised" in again.body


def test_only_the_most_read_unpickled_entries_are_kept(monkeypatch):
    cache = LocMemCache(f"unpickled-{time.time_ns()}", {})
    monkeypatch.setattr(pagecache, "_UNPICKLED_KEEP", 2)
    monkeypatch.setattr(pagecache, "_unpickled", pagecache.OrderedDict())
    for name in ("a", "b", "c"):
        cache.set(name, {"page": name})
    first = pagecache._locmem_get(cache, cache.make_key("a"))
    pagecache._locmem_get(cache, cache.make_key("b"))
    assert pagecache._locmem_get(cache, cache.make_key("a")) is first  # read again: kept
    pagecache._locmem_get(cache, cache.make_key("c"))
    assert list(pagecache._unpickled) == [cache.make_key("a"), cache.make_key("c")]
