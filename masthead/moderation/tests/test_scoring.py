import json

import pytest

from masthead.moderation.spam import SpamScore, score_comment, scoring
from masthead.moderation.spam.model import SHIPPED, load, shipped
from masthead.moderation.spam.scoring import comment_tokens, named_in_body

POST = (
    "The council voted to sell the harbour authority to a private consortium late on "
    "Thursday, after suspending standing orders and skipping the finance scrutiny committee."
)
READER = (
    "The scrutiny committee should have seen the valuation before the council voted. Selling "
    "the harbour this quickly leaves every question about the dredging budget unanswered."
)
ADVERT = (
    "Wow, what a helpful read, honestly one of the best things I have seen this week, and "
    "the photos and pictures really look lovely too."
)


def score(body, **fields):
    return score_comment(body=body, model=shipped(), **fields).probability


def test_the_shipped_model_is_json_and_loads_once_per_process():
    document = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert document["format"] == "masthead-spam-model"
    assert set(document["thresholds"]) == {"spam", "hold"}
    assert "logistic" not in document  # measured, not shipped: docs/spam.md
    assert not SHIPPED.read_bytes().startswith(b"\x80")  # not a pickle
    assert shipped() is shipped()
    assert load(SHIPPED).totals() == shipped().totals()
    assert shipped().totals()[0] > 100


def test_scoring_is_deterministic():
    first = score_comment(body=ADVERT, name="Ann", post_text=POST, model=shipped())
    again = score_comment(body=ADVERT, name="Ann", post_text=POST, model=shipped())
    assert isinstance(first, SpamScore)
    assert first == again
    assert 0.0 <= first.probability <= 1.0


def test_an_empty_comment_scores_nothing():
    assert score_comment(body="   ", model=shipped()) == SpamScore(0.0, ["empty"])


def test_links_in_the_body_raise_the_score():
    stuffed = ADVERT + " http://best-deals.example.com/a http://best-deals.example.com/b www.x.biz"
    assert score(stuffed) > score(ADVERT)
    assert any(
        "links:3" in reason for reason in score_comment(body=stuffed, model=shipped()).reasons
    )


def test_a_stock_phrase_of_generic_praise_raises_the_score():
    praise = ADVERT + " I could have sworn I've been to this site before. Bookmarking it!"
    result = score_comment(body=praise, model=shipped())
    assert result.probability > score(ADVERT)
    assert "stock phrase: says it has been here before" in result.reasons
    assert "stock phrase: bookmarking" in result.reasons


@pytest.mark.parametrize(
    "body", ["Great post, thanks for sharing!", "Check out my channel and subscribe to my channel"]
)
def test_stock_phrases_are_recognised(body):
    assert any(
        r.startswith("stock phrase") for r in score_comment(body=body, model=shipped()).reasons
    )


def test_having_nothing_to_do_with_the_post_raises_the_score():
    unrelated = score_comment(body=ADVERT, post_text=POST, model=shipped())
    assert unrelated.probability > score(ADVERT)
    assert "nothing in common with the post" in unrelated.reasons


def test_sharing_the_posts_subject_lowers_the_score():
    assert score(READER, post_text=POST) < score(READER)


def test_spam_words_in_the_name_or_website_raise_the_score():
    plain = score(ADVERT, name="Jo", url="https://jo.example.org/")
    seo = score_comment(
        body=ADVERT, name="Cheap Casino Loans", url="https://seo-hosting.example.com/",
        model=shipped(),
    )  # fmt: skip
    assert seo.probability > plain
    assert "name or website says 'casino'" in seo.reasons
    assert "name or website says 'hosting'" in seo.reasons


def test_a_near_duplicate_of_a_recent_comment_raises_the_score():
    recent = ["Someone else's words about a different story entirely, nothing alike.", ADVERT]
    reworded = ADVERT.replace("this week", "this month")
    repeated = score_comment(body=reworded, recent_bodies=recent, model=shipped())
    assert repeated.probability > score(reworded, recent_bodies=recent[:1])
    assert any(r.startswith("near-duplicate of a recent comment") for r in repeated.reasons)


def test_recent_comments_may_come_from_a_callable_called_only_when_needed():
    calls = []

    def recent():
        calls.append(1)
        return [ADVERT]

    score_comment(body="Too short to compare.", recent_bodies=recent, model=shipped())
    assert calls == []
    assert score(ADVERT, recent_bodies=recent) > score(ADVERT)
    assert calls


def test_the_thresholds_come_from_settings(settings):
    settings.SPAM_THRESHOLD, settings.SPAM_HOLD_THRESHOLD = 0.9, 0.5
    assert SpamScore(0.95).is_spam and not SpamScore(0.95).needs_review
    assert SpamScore(0.7).needs_review and not SpamScore(0.7).is_spam
    assert not SpamScore(0.3).needs_review and not SpamScore(0.3).is_spam


def test_an_ordinary_first_name_is_not_a_spam_word():
    reasons = score_comment(body=READER, name="Bet Rankin", model=shipped()).reasons
    assert not any(reason.startswith("name or website") for reason in reasons)


def test_a_comment_naming_its_commenter_scores_higher():
    body = "Hi everyone, I'm Tamsin Rook and I sing covers of old songs, have a listen."
    named = score_comment(body=body, name="Tamsin Rook", model=shipped())
    assert named.probability > score(body, name="Ann Lee")
    assert "names its commenter" in named.reasons


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("Cody Tolleson", "Awesome videos at youtube.com/codytolleson, I'll subscribe back"),
        ("Soundhase", "check this mix https://soundcloud.com/soundhase/house-mix"),
        ("Adam B", "check out my page ADAM B BEATS"),
    ],
)
def test_a_name_counts_in_the_body_or_in_its_links(name, body):
    assert named_in_body(name, body) == ["self:name"]


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("Jo", "Jo is right about the harbour."),  # too short to tell from a word
        ("Just Ann", "Justin said the vote was rigged."),  # a whole word, not a piece of one
        ("Petra Vance", "@Argon: the rope works comparison is fair."),
    ],
)
def test_a_name_does_not_count_where_it_is_not(name, body):
    assert named_in_body(name, body) == []


def test_a_comment_read_for_the_pipeline_is_not_tokenised_again_to_be_scored(monkeypatch):
    fields = {
        "body": "The ferry timetable vote was rushed: 7 quays, 3 minutes.",
        "name": "Argon",
        "email": "argon@example.net",
    }
    scoring._text_and_words.cache_clear()
    scoring._comment_tokens.cache_clear()
    uncached = score(**fields)
    scoring._text_and_words.cache_clear()
    scoring._comment_tokens.cache_clear()
    calls = []
    real = scoring.tokenize_plain
    monkeypatch.setattr(scoring, "tokenize_plain", lambda text: calls.append(text) or real(text))
    read = comment_tokens(**fields)
    assert score(**fields) == uncached
    assert len(calls) == 1
    # What the cache hands back is the caller's own to change.
    read.append("changed")
    assert "changed" not in comment_tokens(**fields)
