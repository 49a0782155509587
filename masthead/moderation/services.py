"""Writes that carry moderation rules."""

from django.db import transaction
from django.db.models import F

from masthead.moderation.models import LearnedToken, LearnedTotals
from masthead.moderation.spam.scoring import comment_tokens

MAX_TOKEN_LENGTH = LearnedToken._meta.get_field("token").max_length


def spam_learn(*, body: str, name: str = "", email: str = "", url: str = "", is_spam: bool) -> int:
    """Count a moderator's verdict on a comment into this site's spam model, at once.

    Counters are raised with ``F()`` expressions after an insert that ignores existing rows, so
    two moderators judging at the same moment both count. Returns how many tokens were counted.
    A verdict that reverses an earlier one on the same comment is simply counted as well.
    """
    tokens = [t for t in comment_tokens(body=body, name=name, email=email, url=url)]
    tokens = [t for t in dict.fromkeys(tokens) if len(t) <= MAX_TOKEN_LENGTH]
    column = "spam_count" if is_spam else "ham_count"
    with transaction.atomic():
        LearnedTotals.objects.get_or_create(pk=1)
        LearnedTotals.objects.filter(pk=1).update(**{column: F(column) + 1})
        LearnedToken.objects.bulk_create(
            [LearnedToken(token=token) for token in tokens], ignore_conflicts=True
        )
        LearnedToken.objects.filter(token__in=tokens).update(**{column: F(column) + 1})
    return len(tokens)
