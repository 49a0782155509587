"""Moderation through the API: the queue, and decisions through moderation's own service."""

import pytest

from masthead.api.tests.conftest import ApiClient
from masthead.api.tests.factories import make_token
from masthead.discussion.models import CommentStatus
from masthead.discussion.tests.factories import CommentFactory
from masthead.moderation.models import AuditEntry, Ban, LearnedTotals
from masthead.people.tests.factories import UserFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    user = UserFactory(username="mod", staff=True)
    client = ApiClient(make_token("moderate", user=user)[1])
    client.user = user
    return client


def decide(client, comment, action, reason=None):
    body = {"reason": reason} if reason is not None else None
    return client.send("post", f"/api/v1/moderation/comments/{comment.pk}/{action}", body)


def test_the_queue_is_held_comments_newest_first(moderator):
    post = PostFactory(published=True)
    older, newer = CommentFactory(post=post, pending=True), CommentFactory(post=post, pending=True)
    CommentFactory(post=post)
    found = moderator.get("/api/v1/moderation/comments").json()["items"]
    assert [item["id"] for item in found] == [newer.pk, older.pk]
    spam = moderator.get(f"/api/v1/moderation/comments?status=spam&post={post.slug}").json()
    assert spam["items"] == []


def test_approving_publishes_audits_and_teaches(moderator):
    comment = CommentFactory(pending=True)
    found = decide(moderator, comment, "approve", "fine by me").json()
    assert found["status"] == CommentStatus.APPROVED
    assert found["status_reason"] == "fine by me"
    entry = AuditEntry.objects.get(comment=comment)
    assert (entry.actor, entry.status_before) == (moderator.user, CommentStatus.PENDING)
    assert LearnedTotals.objects.get().ham_count == 1


def test_spam_remove_and_restore(moderator):
    comment = CommentFactory()
    assert decide(moderator, comment, "spam").json()["status"] == CommentStatus.SPAM
    assert decide(moderator, comment, "restore").json()["status"] == CommentStatus.APPROVED
    assert decide(moderator, comment, "remove").json()["status"] == CommentStatus.REMOVED


def test_restoring_what_needs_no_restoring_is_a_409(moderator):
    response = decide(moderator, CommentFactory(), "restore")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_applicable"


def test_ban_removes_the_comment_and_bans_its_commenter(moderator):
    comment = CommentFactory(email="troll@example.net")
    assert decide(moderator, comment, "ban").json()["status"] == CommentStatus.REMOVED
    assert Ban.objects.get().email == "troll@example.net"


def test_unknown_actions_and_comments(moderator):
    comment = CommentFactory()
    assert decide(moderator, comment, "delete").status_code == 422
    response = moderator.send("post", "/api/v1/moderation/comments/999999/approve", {})
    assert response.status_code == 404
