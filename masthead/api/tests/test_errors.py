"""One error shape everywhere, and a 4xx (never a 500) for every kind of bad input."""

import pytest

from masthead.api.tests.conftest import ApiClient
from masthead.api.tests.factories import make_token
from masthead.publishing import selectors
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def assert_shape(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert isinstance(error["message"], str) and error["message"]
    if code is not None:
        assert error["code"] == code
    return error


@pytest.fixture
def post():
    return PostFactory(published=True)


def comments_of(post) -> str:
    return f"/api/v1/posts/{post.slug}/comments"


def test_malformed_json(api, post):
    response = api.generic("POST", comments_of(post), b'{"body": ', content_type="application/json")
    assert_shape(response, 400, "malformed_json")


def test_a_body_that_is_not_utf8(api, post):
    response = api.generic(
        "POST", comments_of(post), b'{"body": "\xff"}', content_type="application/json"
    )
    assert_shape(response, 400, "malformed_json")


def test_a_body_that_is_not_an_object(api, post):
    response = api.generic("POST", comments_of(post), b"[1, 2]", content_type="application/json")
    assert_shape(response, 400, "not_an_object")


def test_wrong_types_name_their_fields(api, post):
    body = {"body": ["not", "text"], "name": "Ana", "email": "ana@example.org", "parent": "two"}
    error = assert_shape(api.send("post", comments_of(post), body), 422, "invalid")
    assert set(error["fields"]) == {"body", "parent"}


def test_unknown_fields_are_refused(api, post):
    body = {"body": "Hello", "name": "Ana", "email": "ana@example.org", "colour": "red"}
    error = assert_shape(api.send("post", comments_of(post), body), 422, "invalid")
    assert error["fields"] == {"colour": "This field is not accepted here."}


def test_a_missing_body_is_a_422(api, post):
    response = api.generic("POST", comments_of(post), b"", content_type="application/json")
    error = assert_shape(response, 422)
    assert "body" in error["fields"]


def test_oversized_bodies_are_refused_before_reading(api, post, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = {"body": "x" * 2_000, "name": "Ana", "email": "ana@example.org"}
    assert_shape(api.send("post", comments_of(post), body), 413, "too_large")


def test_bad_query_values(api):
    error = assert_shape(api.get("/api/v1/posts?limit=0&published_after=someday"), 422)
    assert set(error["fields"]) == {"query.limit", "query.published_after"}


def test_a_path_that_is_no_slug(api):
    assert_shape(api.get("/api/v1/posts/not%20a%20slug"), 422)


@pytest.mark.parametrize("path", ["/api/v1/nowhere/at/all", "/api/v1/"])
def test_unknown_addresses(api, path):
    assert_shape(api.get(path), 404, "not_found")


def test_missing_things(api):
    assert_shape(api.get("/api/v1/posts/no-such-post"), 404, "not_found")


def test_methods_an_address_does_not_take(api, post):
    response = api.put(comments_of(post))
    assert_shape(response, 405, "method_not_allowed")
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


def test_no_token(api):
    response = api.get("/api/v1/moderation/comments")
    assert_shape(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_token_without_the_scope():
    client = ApiClient(make_token("read")[1])
    assert_shape(client.get("/api/v1/moderation/comments"), 403, "scope_missing")


@pytest.mark.usefixtures("one_rate_window")
def test_too_many_requests(api, settings):
    settings.API_RATE_LIMIT = 2
    api.get("/api/v1/tags")
    api.get("/api/v1/tags")
    response = api.get("/api/v1/tags")
    assert_shape(response, 429, "rate_limited")
    assert int(response["Retry-After"]) >= 1


@pytest.mark.usefixtures("one_rate_window")
def test_a_token_has_its_own_allowance(api, settings):
    settings.API_RATE_LIMIT = 1
    api.get("/api/v1/tags")
    assert api.get("/api/v1/tags").status_code == 429
    assert ApiClient(make_token("read")[1]).get("/api/v1/tags").status_code == 200


def test_an_unexpected_failure_is_a_logged_500_in_the_shape(api, monkeypatch, caplog):
    def broken():
        raise RuntimeError("the database fell over")

    monkeypatch.setattr(selectors, "post_list_published", broken)
    response = api.get("/api/v1/posts")
    error = assert_shape(response, 500, "server_error")
    assert "fell over" not in error["message"]
    assert "API request failed" in caplog.text


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00%2B14:00", "9999-12-31T23:59:59-12:00"])
def test_times_that_leave_the_calendar_in_utc(api, moment):
    error = assert_shape(api.get(f"/api/v1/posts?published_after={moment}"), 422)
    assert error["fields"] == {"query.published_after": "This time is out of range."}
