"""ETags and 304s on every GET, and caching that never mixes one caller's answer with another's."""

import pytest

from masthead.api.tests.conftest import ApiClient
from masthead.api.tests.factories import make_token
from masthead.core.tests.pagecache_fixtures import page_cache  # noqa: F401
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

GETS = ["/api/v1/posts", "/api/v1/authors", "/api/v1/categories", "/api/v1/tags",
        "/api/v1/search?q=council", "/api/v1/openapi.json"]  # fmt: skip


@pytest.fixture
def post():
    return PostFactory(published=True)


@pytest.mark.parametrize("path", GETS)
def test_every_get_has_an_etag_and_answers_304(api, post, path):
    first = api.get(path)
    assert first.status_code == 200
    etag = first["ETag"]
    again = api.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""


def test_the_detail_and_thread_too(api, post):
    for path in (f"/api/v1/posts/{post.slug}", f"/api/v1/posts/{post.slug}/comments"):
        etag = api.get(path)["ETag"]
        assert api.get(path, headers={"If-None-Match": etag}).status_code == 304


def test_a_change_changes_the_etag(api, post):
    path = f"/api/v1/posts/{post.slug}"
    etag = api.get(path)["ETag"]
    post.title = "A new headline"
    post.save()
    response = api.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_anonymous_answers_are_public_and_revalidated(api, post):
    response = api.get("/api/v1/posts")
    assert set(response["Cache-Control"].split(", ")) == {"public", "no-cache"}
    assert "Authorization" in response["Vary"]


def test_token_answers_are_private(post):
    response = ApiClient(make_token("read")[1]).get("/api/v1/posts")
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-cache"}


def test_errors_are_never_stored(api):
    assert api.get("/api/v1/posts/missing")["Cache-Control"] == "no-store"


def test_the_page_cache_never_stores_an_api_answer(api, post, page_cache):  # noqa: F811
    for client in (api, ApiClient(make_token("read", "publish")[1])):
        client.get("/api/v1/posts")
        response = client.get("/api/v1/posts")
        assert "X-Masthead-Cache" not in response
    assert api.get("/api/v1/posts").json()["items"][0]["slug"] == post.slug


def test_writes_need_no_csrf_token(post):
    client = ApiClient(enforce_csrf_checks=True)
    body = {"body": "No cookie, no CSRF token.", "name": "Ana", "email": "ana@example.org"}
    response = client.send("post", f"/api/v1/posts/{post.slug}/comments", body)
    assert response.status_code == 201
