import pytest
from django.core.management import call_command

from masthead.discussion.models import Comment, CommentStatus
from masthead.publishing import demo_content
from masthead.publishing.models import Post

pytestmark = pytest.mark.django_db
ROLES = demo_content.COMMENT_ROLES


@pytest.fixture
def demo():
    call_command("demo")
    return Post.objects.get(slug=demo_content.POSTS[0]["slug"])


def _numbered(post):
    return {c.number: c for c in Comment.objects.filter(post=post).select_related("mention_of")}


def test_the_demo_post_has_its_seventeen_comments_in_order(demo):
    comments = _numbered(demo)
    assert sorted(comments) == list(range(1, 18))
    for number, data in enumerate(demo_content.COMMENTS, start=1):
        assert comments[number].name == data["name"]
    assert comments[17].created_at > comments[1].created_at > demo.published_at


def test_the_at_replies_are_linked_typo_included(demo):
    comments = _numbered(demo)
    assert comments[ROLES["at_reply"]].mention_of.number == 1
    assert comments[ROLES["reply_to_10"]].mention_of.number == 10
    typo = comments[ROLES["typo_reply"]]
    assert typo.mention_of.number == 2
    assert typo.mention_confidence < 1
    linked = {n for n, c in comments.items() if c.mention_of_id}
    assert linked == {ROLES["at_reply"], ROLES["reply_to_10"], ROLES["typo_reply"]}


def test_the_empty_comment_keeps_its_number_as_removed(demo):
    empty = _numbered(demo)[ROLES["empty"]]
    assert (empty.status, empty.status_reason) == (CommentStatus.REMOVED, "empty")


def test_until_moderation_runs_the_spam_comment_is_approved(demo):
    assert _numbered(demo)[ROLES["spam"]].status == CommentStatus.APPROVED
    demo.refresh_from_db()
    assert demo.comment_count == 16


def test_a_second_run_changes_nothing(demo):
    before = list(Comment.objects.order_by("pk").values())
    post_before = Post.objects.filter(pk=demo.pk).values().get()
    call_command("demo")
    assert list(Comment.objects.order_by("pk").values()) == before
    assert Post.objects.filter(pk=demo.pk).values().get() == post_before
