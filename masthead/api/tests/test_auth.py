"""API tokens: made once, stored hashed, scoped, expiring, revocable; and each scope's reach."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from masthead.api import services
from masthead.api.exceptions import ApiTokenScopeError
from masthead.api.models import ApiToken, secret_digest
from masthead.api.tests.conftest import ApiClient
from masthead.api.tests.factories import make_token
from masthead.discussion.tests.factories import CommentFactory
from masthead.people.tests.factories import AuthorProfileFactory, UserFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_only_as_its_hash():
    token, raw = make_token("read")
    prefix, secret = raw.removeprefix("mh_").split("_", 1)
    assert token.prefix == prefix
    assert token.secret_hash == secret_digest(secret)
    assert secret not in token.secret_hash
    assert services.token_find(raw) == token


def test_a_wrong_secret_finds_nothing():
    _, raw = make_token("read")
    assert services.token_find(raw[:-2] + "xx") is None


@pytest.mark.parametrize(
    "spoil",
    [
        {"revoked_at": timezone.now()},
        {"expires_at": timezone.now() - datetime.timedelta(minutes=1)},
    ],
)
def test_revoked_and_expired_tokens_are_refused(spoil):
    post = PostFactory(published=True)
    token, raw = make_token("read")
    ApiToken.objects.filter(pk=token.pk).update(**spoil)
    response = ApiClient(raw).get(f"/api/v1/posts/{post.slug}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_token"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_deactivated_user_disarms_the_token():
    token, raw = make_token("read")
    token.user.is_active = False
    token.user.save()
    assert ApiClient(raw).get("/api/v1/posts").status_code == 401


def test_use_is_recorded():
    token, raw = make_token("read")
    ApiClient(raw).get("/api/v1/posts")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_scope_needs_the_users_permission():
    reader = UserFactory()
    with pytest.raises(ApiTokenScopeError):
        services.token_create(user=reader, name="x", scopes=["moderate"])
    token, _ = services.token_create(user=reader, name="x", scopes=["comment"])
    assert token.scopes == ["comment"]


def test_unknown_scopes_are_refused():
    with pytest.raises(ApiTokenScopeError):
        services.token_create(user=UserFactory(staff=True), name="x", scopes=["admin"])


def test_losing_the_permission_disarms_the_scope():
    moderator = UserFactory(is_staff=True)
    moderator.user_permissions.add(
        Permission.objects.get(codename="moderate_comments", content_type__app_label="moderation")
    )
    _, raw = make_token("moderate", user=moderator)
    assert ApiClient(raw).get("/api/v1/moderation/comments").status_code == 200
    moderator.user_permissions.clear()
    response = ApiClient(raw).get("/api/v1/moderation/comments")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_missing"


# Every scope, and every protected operation: no token 401, another scope 403, its scope 2xx.

SCOPES = ["read", "comment", "moderate", "publish"]


@pytest.fixture
def world():
    editor = UserFactory(username="desk", staff=True)
    author = AuthorProfileFactory(user=editor)
    post = PostFactory(published=True, author=author)
    draft = PostFactory(author=author)
    comment = CommentFactory(post=post, pending=True)
    return {"editor": editor, "post": post, "draft": draft, "comment": comment}


def _operations(world):
    post, draft, comment = world["post"], world["draft"], world["comment"]
    return {
        "read": [("get", f"/api/v1/posts/{draft.slug}/editorial", None)],
        "comment": [
            ("post", f"/api/v1/posts/{post.slug}/comments", {"body": "Signed in and saying so."})
        ],
        "moderate": [
            ("get", "/api/v1/moderation/comments", None),
            ("get", f"/api/v1/moderation/comments/{comment.pk}", None),
            ("post", f"/api/v1/moderation/comments/{comment.pk}/approve", {}),
        ],
        "publish": [
            ("post", "/api/v1/posts", {"title": "A new draft", "body": "Words."}),
            ("patch", f"/api/v1/posts/{draft.slug}", {"dek": "A better lede."}),
            ("post", f"/api/v1/posts/{draft.slug}/publish", {}),
        ],
    }


@pytest.mark.parametrize("scope", SCOPES)
def test_each_scope_opens_its_operations(world, scope):
    client = ApiClient(make_token(scope, user=world["editor"])[1])
    for method, path, body in _operations(world)[scope]:
        response = client.send(method, path, body)
        assert response.status_code in (200, 201), (method, path, response.content)


@pytest.mark.parametrize("scope", ["moderate", "publish", "read"])
def test_each_scope_needs_a_token(world, scope, api):
    for method, path, body in _operations(world)[scope]:
        response = api.send(method, path, body)
        assert response.status_code == 401, (method, path)
        assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("scope", SCOPES)
def test_other_scopes_are_refused(world, scope):
    others = [s for s in SCOPES if s != scope and {s, scope} != {"read", "publish"}]
    client = ApiClient(make_token(*others, user=world["editor"])[1])
    for method, path, body in _operations(world)[scope]:
        response = client.send(method, path, body)
        assert response.status_code == 403, (method, path, response.content)
        assert response.json()["error"]["code"] == "scope_missing"


def test_the_publish_scope_reads_drafts_too(world):
    client = ApiClient(make_token("publish", user=world["editor"])[1])
    response = client.get(f"/api/v1/posts/{world['draft'].slug}/editorial")
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_a_session_cookie_authenticates_nothing(world, client):
    """A signed-in browser is anonymous to the API, so no other site can borrow its session."""
    client.force_login(world["editor"])
    assert client.get("/api/v1/moderation/comments").status_code == 401
    response = client.post(
        f"/api/v1/posts/{world['post'].slug}/comments",
        {"body": "Posted from a signed-in browser."},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"name", "email"}
