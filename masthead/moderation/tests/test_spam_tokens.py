"""Tokens for links that hide or stand alone, arrows, and misspelt promotion words."""

import pytest

from masthead.moderation.spam.tokens import one_edit_apart, tokenize, words


@pytest.mark.parametrize(
    "body", ["http://deals.example.com/x", "More... https://shop.example.net/a?b=1", "example.org"]
)
def test_a_link_with_little_else_is_a_bare_link(body):
    assert "links:bare" in tokenize(body)


def test_a_link_in_a_sentence_is_not_bare():
    body = "The minutes are at https://council.example.org/minutes if anyone wants them"
    assert "links:1" in tokenize(body)
    assert "links:bare" not in tokenize(body)


@pytest.mark.parametrize(
    ("body", "host"),
    [
        ("earn real money at marketglory . com today", "marketglory.com"),
        ("see W W W. THE FARRELL REPORT. NET now", "report.net"),
        ("visit quickcash(dot)com", "quickcash.com"),
        ("visit quickcash [dot] biz", "quickcash.biz"),
    ],
)
def test_an_address_written_not_to_be_a_link_counts_as_one(body, host):
    tokens = tokenize(body)
    assert "links:hidden" in tokens
    assert f"host:{host}" in tokens


@pytest.mark.parametrize(
    "body",
    [
        "It went the way of the dot com bubble.",
        "He works at Google, net of tax he earns less than you think.",
        "We walked to the shop. Comments like yours are why.",
        "I sold it. Net, we lost money.",
    ],
)
def test_ordinary_sentences_hide_no_link(body):
    assert "links:hidden" not in tokenize(body)


def test_an_arrow_pointing_at_something_is_a_shape():
    assert "shape:arrow" in tokenize("check it out right here -------> the1fantasy")
    assert "shape:arrow" in tokenize("LADIES!!! ----->> read this")
    assert "shape:arrow" not in tokenize("Rates went from 2% -> 3% in a year")


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("suscribe", "subscribe"),
        ("sucscribe", "subscribe"),
        ("subscrible", "subscribe"),
        ("subscirbe", "subscribe"),
        ("subscrib", "subscribe"),
        ("chanel", "channel"),
    ],
)
def test_a_misspelt_promotion_word_is_read_as_meant(written, meant):
    assert words(f"please {written} to me") == ["please", meant, "to", "me"]


@pytest.mark.parametrize(
    "word", ["subscription", "scribe", "cancel", "channels", "subscribers", "chapel", "monkey"]
)
def test_other_words_keep_their_spelling(word):
    assert words(word) == [word]


def test_one_edit_apart():
    assert one_edit_apart("chanel", "channel")
    assert one_edit_apart("subscirbe", "subscribe")
    assert not one_edit_apart("subscribe", "subscribe")
    assert not one_edit_apart("subscription", "subscribe")


@pytest.mark.parametrize(
    ("body", "shape"),
    [
        ("WHY IS NOBODY TALKING ABOUT THIS", "caps:most"),
        ("READ THIS before the vote", "caps:some"),
        ("the minutes were published at noon", "caps:few"),
        ("Lovely 😀😀", "emoji:2"),
        ("★★★★ read it", "emoji:3"),
        ("^^ nice one ^_^", "emoji:3"),  # ASCII has its symbols too
        ("`quoted` like code", "emoji:2"),
    ],
)
def test_a_comments_shape_is_counted_over_every_character(body, shape):
    found = [token for token in tokenize(body) if token.split(":")[0] == shape.split(":")[0]]
    assert found == [shape]


def test_a_comment_without_symbols_has_no_emoji_shape():
    tokens = tokenize("A plain, ASCII-only point (50% off?)")
    assert not [token for token in tokens if token.startswith("emoji")]
