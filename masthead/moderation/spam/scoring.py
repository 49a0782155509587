"""Scoring one comment: learned word clues and hand-set signals, combined into one number.

Naive Bayes weighs the tokens against the shipped and learned counts, together with the
hand-set signals; the regression reads the body alone; the model's blend turns the two
opinions into the probability that is compared with the thresholds.
"""

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings

from masthead.moderation.spam import signals
from masthead.moderation.spam.features import char_grams
from masthead.moderation.spam.model import (
    MAX_CLUES,
    SpamModel,
    clues,
    combine,
    shift,
    strongest,
)
from masthead.moderation.spam.tokens import STOP_WORDS, links, normalise, tokenize_plain

# Defaults chosen from the leave-one-file-out evaluation in docs/spam.md; settings override.
SPAM_THRESHOLD = 0.92
HOLD_THRESHOLD = 0.59
STRONG_WORD = 0.9
# A name word shorter than this ("Jo", "Ann") turns up in too many ordinary comments.
NAME_WORD = 4


@dataclass(frozen=True)
class SpamScore:
    probability: float
    reasons: list[str] = field(default_factory=list)

    @property
    def is_spam(self) -> bool:
        return self.probability >= spam_threshold()

    @property
    def needs_review(self) -> bool:
        return hold_threshold() <= self.probability < spam_threshold()


def spam_threshold() -> float:
    return getattr(settings, "SPAM_THRESHOLD", SPAM_THRESHOLD)


def hold_threshold() -> float:
    return getattr(settings, "SPAM_HOLD_THRESHOLD", HOLD_THRESHOLD)


def identity_tokens(*, name: str = "", email: str = "", url: str = "") -> list[str]:
    """Tokens for the commenter's fields; only a site's own moderation teaches what they mean."""
    local = email.partition("@")[0]
    found = [f"name:{w}" for w in re.split(r"\W+", name.casefold()) if w]
    found += [f"email:{w}" for w in re.split(r"[^a-z]+", local.casefold()) if len(w) > 2]
    found += [f"site:{w}" for w in re.split(r"[^a-z]+", url.casefold()) if len(w) > 2]
    return list(dict.fromkeys(found))


def named_in_body(name: str, text: str) -> list[str]:
    """``self:name`` when the commenter's name turns up in their own comment or its links
    ("I'm Cody Tolleson", "youtube.com/codytolleson"): self-promotion, in the training files."""
    parts = [w for w in re.split(r"\W+", name.casefold()) if w]
    wanted = [w for w in parts if len(w) >= NAME_WORD and w not in STOP_WORDS and not w.isdigit()]
    if not wanted:
        return []
    folded = text.casefold()
    addresses = " ".join(links(folded))
    if any(w in addresses for w in wanted) or set(wanted) & set(re.findall(r"\w+", folded)):
        return ["self:name"]
    joined = "".join(parts)
    if len(parts) > 1 and len(joined) >= 2 * NAME_WORD and joined in re.sub(r"\W+", "", folded):
        return ["self:name"]
    return []


def body_tokens(body: str, *, name: str = "") -> list[str]:
    """What the shipped model counts: the body's tokens and whether it names its commenter."""
    text, words = _text_and_words(body)
    return [*words, *named_in_body(name, text)]


def comment_tokens(*, body: str, name: str = "", email: str = "", url: str = "") -> list[str]:
    return list(_comment_tokens(body, name, email, url))


# A comment posted is tokenised for the pipeline's read of what the site has learned, then
# again to be scored: a few recent ones are kept, as tuples, so that the second time is free.
@functools.lru_cache(maxsize=32)
def _text_and_words(body: str) -> tuple[str, tuple[str, ...]]:
    text = normalise(body)
    return text, tuple(tokenize_plain(text))


@functools.lru_cache(maxsize=32)
def _comment_tokens(body: str, name: str, email: str, url: str) -> tuple[str, ...]:
    return (*body_tokens(body, name=name), *identity_tokens(name=name, email=email, url=url))


def score_comment(
    *,
    body: str,
    name: str = "",
    email: str = "",
    url: str = "",
    post_text: str = "",
    recent_bodies: Iterable[str] | Callable[[], Iterable[str]] = (),
    model: SpamModel | None = None,
) -> SpamScore:
    """How likely a comment is spam, from 0 to 1, with the reasons that weighed most.

    ``post_text`` is the title and body of the post the comment is on; ``recent_bodies`` are
    recent comments on other posts (or a callable returning them, called only when needed).
    Without ``model``, the shipped model plus this site's learned counts is used.
    """
    if not body.strip():
        return SpamScore(0.0, ["empty"])
    if model is None:
        from masthead.moderation.learned import site_model

        model = site_model()
    text, words = _text_and_words(body)
    words = list(words)
    phrases = _phrases(body, text)
    fixed = _fixed_clues(body, name=name, email=email, url=url, recent_bodies=recent_bodies)
    fixed += signals.relevance(body, post_text)
    tokens = comment_tokens(body=body, name=name, email=email, url=url)
    naive_bayes, learned = _naive_bayes(model, tokens, fixed, phrases)
    reasons = [reason for _, reason in phrases] + list(dict.fromkeys(r for _, r in fixed))
    reasons += _word_reasons(learned)
    # A site's model wraps the shipped one: the counts are both, the regression is shipped.
    shipped = getattr(model, "base", model)
    if shipped.logistic is None:
        return SpamScore(round(naive_bayes, 6), reasons)
    margin = shipped.logistic.margin(dict.fromkeys(words + char_grams(text)))
    return SpamScore(round(shipped.blend.probability(naive_bayes, margin), 6), reasons)


def opinions(
    body: str,
    model: SpamModel,
    *,
    name: str = "",
    recent_bodies: Iterable[str] | Callable[[], Iterable[str]] = (),
) -> tuple[float, float]:
    """Naive Bayes's probability and the regression's margin for a comment without its post
    (training): its body, its commenter's name and comments on other posts."""
    text = normalise(body)
    words = tokenize_plain(text)
    fixed = _fixed_clues(body, name=name, recent_bodies=recent_bodies)
    phrases = _phrases(body, text)
    naive_bayes, _ = _naive_bayes(model, words + named_in_body(name, text), fixed, phrases)
    margin = (
        model.logistic.margin(dict.fromkeys(words + char_grams(text))) if model.logistic else 0.0
    )
    return naive_bayes, margin


def _fixed_clues(body: str, *, name="", email="", url="", recent_bodies=()) -> list[signals.Clue]:
    identity = signals.identity_keywords(name=name, email=email, url=url)
    return identity + signals.near_duplicate(body, recent_bodies)


def _phrases(body: str, text: str) -> list[signals.Clue]:
    return signals.stock_phrases(body) + signals.paid_links(text)


def _naive_bayes(model, tokens: list[str], fixed, phrases=()) -> tuple[float, dict]:
    """Fixed clues vote beside the strongest word clues. Stock phrases and paid links instead
    move the verdict by their own odds: as one vote among thirty they count for little, and
    the other words of a short self-promotion ("nice one, hear my new single") are as ordinary
    as any reader's."""
    learned = clues(model.counts(tokens), model.totals())
    votes = [p for p, _ in fixed] + strongest(learned.values(), MAX_CLUES - len(fixed))
    return shift(combine(votes), [p for p, _ in phrases]), learned


def _word_reasons(learned: dict[str, float]) -> list[str]:
    reasons = ["names its commenter"] if learned.get("self:name", 0.0) >= STRONG_WORD else []
    spammy = sorted((p, t) for t, p in learned.items() if p >= STRONG_WORD and t != "self:name")
    if spammy:
        reasons.append(
            "spam words: " + ", ".join(repr(token) for _, token in reversed(spammy[-4:]))
        )
    return reasons
