"""What the public never sees: commenters' e-mail and address, held and spam comments; and the
fields no caller may set."""

import json

import pytest

from masthead.api.tests.conftest import ApiClient
from masthead.api.tests.factories import make_token
from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.tests.factories import CommentFactory
from masthead.people.tests.factories import AuthorProfileFactory, UserFactory
from masthead.publishing.models import PostStatus
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
SECRET_EMAIL = "hidden.reader@example.net"
SECRET_IP = "203.0.113.77"


@pytest.fixture
def thread():
    post = PostFactory(published=True)
    shown = CommentFactory(post=post, email=SECRET_EMAIL, ip_address=SECRET_IP, user_agent="UA/1")
    CommentFactory(post=post, body="still waiting", pending=True)
    CommentFactory(post=post, body="buy cheap pills", spam=True)
    gone = CommentFactory(post=post, body="taken down", removed=True, email="gone@example.net")
    CommentFactory(post=post, parent=gone, body="a reply that stays")
    return post, shown


def test_the_public_thread_shows_no_personal_data_nor_held_or_spam(api, thread):
    post, _ = thread
    text = api.get(f"/api/v1/posts/{post.slug}/comments").content.decode()
    for hidden in (SECRET_EMAIL, SECRET_IP, "UA/1", "still waiting", "buy cheap pills",
                   "taken down", "gone@example.net", "spam_score", "status_reason"):  # fmt: skip
        assert hidden not in text


def test_a_removed_parent_is_a_bare_placeholder(api, thread):
    post, _ = thread
    items = api.get(f"/api/v1/posts/{post.slug}/comments").json()["items"]
    placeholder = next(item for item in items if item["is_placeholder"])
    assert placeholder["author"] is None and placeholder["body_html"] is None
    assert placeholder["replies"][0]["body_html"] == "<p>a reply that stays</p>"


def test_the_moderate_scope_sees_email_and_address(thread):
    _, shown = thread
    client = ApiClient(make_token("moderate")[1])
    found = client.get(f"/api/v1/moderation/comments/{shown.pk}").json()
    assert (found["email"], found["ip_address"]) == (SECRET_EMAIL, SECRET_IP)


@pytest.mark.parametrize("scope", ["read", "comment", "publish"])
def test_other_scopes_cannot_reach_personal_data(thread, scope):
    post, shown = thread
    client = ApiClient(make_token(scope)[1])
    assert client.get(f"/api/v1/moderation/comments/{shown.pk}").status_code == 403
    assert SECRET_EMAIL not in client.get(f"/api/v1/posts/{post.slug}/comments").content.decode()


def test_the_answer_to_a_guest_does_not_echo_their_email(api, thread):
    post, _ = thread
    body = {"body": "A fresh point.", "name": "Ana", "email": "ana.private@example.org"}
    response = api.send("post", f"/api/v1/posts/{post.slug}/comments", body)
    assert response.status_code == 201
    assert "ana.private" not in response.content.decode()


@pytest.mark.parametrize(
    "extra", [{"status": "approved"}, {"number": 1}, {"spam_score": 0.0}, {"status_reason": "x"}]
)
def test_a_comment_cannot_set_what_moderation_decides(api, thread, extra):
    post, _ = thread
    body = {"body": "Trying my luck.", "name": "Ana", "email": "ana@example.org", **extra}
    response = api.send("post", f"/api/v1/posts/{post.slug}/comments", body)
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == list(extra)
    assert not Comment.objects.filter(body="Trying my luck.").exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"author": "someone-else"},
        {"status": "published"},
        {"published_at": "2026-01-01T00:00Z"},
        {"comment_count": 99},
    ],
)
def test_a_post_cannot_set_its_author_or_status_on_create(extra):
    editor = UserFactory(staff=True)
    AuthorProfileFactory(user=editor)
    client = ApiClient(make_token("publish", user=editor)[1])
    response = client.send("post", "/api/v1/posts", {"title": "Mine", **extra})
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == list(extra)


def test_a_new_post_is_a_draft_by_the_tokens_author():
    editor = UserFactory(staff=True)
    author = AuthorProfileFactory(user=editor)
    client = ApiClient(make_token("publish", user=editor)[1])
    found = client.send("post", "/api/v1/posts", {"title": "Mine"}).json()
    assert found["status"] == PostStatus.DRAFT
    assert found["author"]["slug"] == author.slug


def test_held_comments_are_not_in_the_public_answer_to_their_author(api, settings, thread):
    settings.COMMENT_PIPELINE = "masthead.api.tests.test_privacy.hold_everything"
    post, _ = thread
    body = {"body": "Held for a look.", "name": "Ana", "email": "ana@example.org"}
    created = api.send("post", f"/api/v1/posts/{post.slug}/comments", body).json()
    assert created["state"] == "held"
    listed = json.dumps(api.get(f"/api/v1/posts/{post.slug}/comments").json())
    assert "Held for a look." not in listed


def hold_everything(comment, context):
    from masthead.discussion.pipeline import Decision

    return Decision(CommentStatus.PENDING, reason="held by the test")
