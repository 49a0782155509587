"""The demo thread under the first post: the shipped model flags the spam and nothing else."""

import pytest

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
