"""Masthead's local spam model: naive Bayes on shipped counts plus what this site has learned.

    from masthead.moderation.spam import score_comment
    score = score_comment(body=..., name=..., url=..., post_text=post.title + post.body)
    score.probability, score.reasons, score.is_spam, score.needs_review

Moderators teach it with ``masthead.moderation.services.spam_learn``. See docs/spam.md.
"""

from masthead.moderation.spam.scoring import (
    HOLD_THRESHOLD,
    SPAM_THRESHOLD,
    SpamScore,
    hold_threshold,
    score_comment,
    spam_threshold,
)

__all__ = [
    "HOLD_THRESHOLD",
    "SPAM_THRESHOLD",
    "SpamScore",
    "hold_threshold",
    "score_comment",
    "spam_threshold",
]
