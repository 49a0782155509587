"""Self-promotion phrases, paid links, and how they weigh against the word clues."""

import pytest

from masthead.moderation.spam import score_comment, signals
from masthead.moderation.spam.model import NB_FLOOR, Layer, SpamModel, log_odds, shift
from masthead.moderation.spam.tokens import normalise

# Every word of this comment is a reader's word in this model; nothing else is known to it.
READERS = SpamModel(
    {"comments": Layer(1.0, 10, 10, {w: [0, 9] for w in ("lovely", "harbour", "walk")})}
)


def reasons(body):
    return [reason for _, reason in signals.stock_phrases(body)]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("Great tune. Hear my new single!", "stock phrase: announces new work"),
        ("Great tune. Have a listen to our latest album", "stock phrase: announces new work"),
        ("Loved it, now watch my videos", "stock phrase: points to their own work"),
        ("follow me on Instagram for more", "stock phrase: asks to be followed"),
        ("sub 4 sub anyone?", "stock phrase: asks to be followed"),
        ("Please subscribe, it means a lot", "stock phrase: asks to be followed"),
        ("If I get 500 followers I'll post the rest", "stock phrase: counts its followers"),
        ("Like this comment if you agree", "stock phrase: asks for likes"),
        ("Subscribe and you will hear more", "stock phrase: asks to be followed"),
        ("great stuff, like and subscribe", "stock phrase: asks to be followed"),
        ("subscribers please", "stock phrase: asks to be followed"),
        ("Please suscribe to me", "stock phrase: asks to be followed"),
        ("Look and shares my video please", "stock phrase: points to their own work"),
        ("Share this video on Facebook!", "stock phrase: asks to be shared"),
        ("plz share to vote", "stock phrase: asks to be shared"),
        ("Please see and share: it matters", "stock phrase: asks to be shared"),
        ("Get free gift cards here", "stock phrase: easy money"),
        ("start making extra money today", "stock phrase: easy money"),
    ],
)
def test_self_promotion_is_recognised(body, reason):
    assert reason in reasons(body)


@pytest.mark.parametrize(
    "body",
    [
        "I really like this comment, well put.",
        "If you follow me on this, the vote was never going to pass.",
        "Please follow the link to the minutes before the meeting.",
        "My first album was bought in that shop on the quay.",
        "My new site manager grew up on the pilot boats.",
        "Subscribe to the Courant if you want this kind of reporting.",
        "I subscribe to the paper and still missed this.",
        "Please share the minutes before the meeting.",
        "Please share your figures, I would like to check them.",
        "Can someone share a link to the annex?",
        "Will the port make money for the city, or lose it?",
        "It is not free money, it is a loan against the quays.",
    ],
)
def test_a_readers_own_words_are_not_self_promotion(body):
    assert reasons(body) == []


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("Half price here: https://shop.example.com/item?ref=jb22", "referral link"),
        ("Half price here: http://shop.example.com/?aff_id=77&x=1", "referral link"),
        ("More at bit.ly/3xYz", "shortened link"),
    ],
)
def test_links_that_pay_or_hide_are_recognised(body, reason):
    assert [r for _, r in signals.paid_links(normalise(body))] == [reason]


def test_a_plain_link_is_not_a_paid_link():
    assert signals.paid_links(normalise("The minutes: https://council.example.org/?page=2")) == []


def test_a_stock_phrase_moves_the_verdict_by_its_own_odds():
    """As one vote among the word clues a phrase would be outvoted by a reader's words."""
    plain = score_comment(body="Lovely harbour walk", model=READERS).probability
    promoted = score_comment(body="Lovely harbour walk, please subscribe", model=READERS)
    assert "stock phrase: asks to be followed" in promoted.reasons
    assert log_odds(promoted.probability) - log_odds(plain) == pytest.approx(
        log_odds(0.98), abs=1e-3
    )


def test_shifted_scores_stay_off_zero_and_one():
    assert shift(0.999, [0.98] * 3) == 1.0 - NB_FLOOR
    assert shift(0.001, [0.02] * 3) == NB_FLOOR
