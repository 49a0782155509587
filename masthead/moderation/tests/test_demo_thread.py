"""The demo thread under the first post: the shipped model flags the spam and nothing else."""

import pytest
from django.core.management import call_command

from masthead.discussion.models import Comment, CommentStatus
from masthead.moderation.spam import hold_threshold, score_comment
from masthead.moderation.spam.model import shipped
from masthead.publishing.demo_content import COMMENT_ROLES, COMMENTS, POSTS

POST = POSTS[0]
POST_TEXT = "\n\n".join([POST["title"], POST["dek"], POST["body"]])


def demo_scores() -> dict[int, float]:
    scores = {}
    for position, comment in enumerate(COMMENTS, start=1):
        earlier = [c["body"] for c in COMMENTS[: position - 1]]
        result = score_comment(
            body=comment["body"],
            name=comment["name"],
            email=comment["email"],
            url=comment["url"],
            post_text=POST_TEXT,
            recent_bodies=earlier,
            model=shipped(),
        )
        scores[position] = result.probability
    return scores


def test_the_spam_comment_is_held_or_caught():
    assert demo_scores()[COMMENT_ROLES["spam"]] >= hold_threshold()


@pytest.mark.parametrize(
    "position", [n for n in range(1, len(COMMENTS) + 1) if n != COMMENT_ROLES["spam"]]
)
def test_no_reader_comment_is_held(position):
    assert demo_scores()[position] < hold_threshold(), COMMENTS[position - 1]["body"]


def test_the_empty_comment_scores_low():
    assert demo_scores()[COMMENT_ROLES["empty"]] == 0.0


@pytest.mark.django_db
def test_loading_the_demo_runs_each_comment_through_the_pipeline():
    """Only the generic praise is stopped; the empty comment keeps its number as removed."""
    call_command("demo")
    comments = {c.number: c for c in Comment.objects.filter(post__slug=POST["slug"])}
    spam = comments.pop(COMMENT_ROLES["spam"])
    assert spam.status in {CommentStatus.SPAM, CommentStatus.PENDING}
    assert spam.status_reason.startswith("spam score 0.99")
    empty = comments.pop(COMMENT_ROLES["empty"])
    assert empty.status == CommentStatus.REMOVED
    assert {c.status for c in comments.values()} == {CommentStatus.APPROVED}
    assert len(comments) == 15
