"""The spam model: naive Bayes counts, a logistic regression, and how the two are blended.

The model is naive Bayes kept as plain counts: for every token, in how many spam and how many
legitimate comments it appeared, per corpus. Scoring follows Gary Robinson's method (as used by
SpamBayes): each known token gets a smoothed spam probability from its per-class frequencies,
the strongest few are combined with Fisher's chi-squared test once for "spam" and once for
"not spam", and the score is the balance of the two. Comments with strong evidence both ways
land near 0.5, which is what the hold-for-review band is for.

Because everything is a count, a site's own moderation decisions are one more layer of counts
added on top (see ``masthead.moderation.learned``); nothing is retrained.

Beside the counts sits a logistic regression on the same tokens plus pieces of words
(``spam.logistic``), shipped and fixed. The two opinions are blended on the log-odds scale with
weights fitted on held-out comments at training time (``Blend``), so the site's counts still
move every score while the regression catches what single tokens cannot.
"""

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from masthead.moderation.spam.logistic import Logistic, sigmoid

SHIPPED = Path(__file__).with_name("model.json")
FORMAT = "masthead-spam-model"
VERSION = 2
# Robinson's smoothing: an unknown token sits at PRIOR and needs STRENGTH sightings to move.
PRIOR = 0.5
STRENGTH = 1.0
# Only the strongest clues vote, so a long comment is not judged by its many ordinary words.
MAX_CLUES = 30
# Tokens seen in fewer training comments than this are left out of the shipped file.
MIN_SIGHTINGS = 2
# Naive Bayes scores are pinned this far from 0 and 1 before their log-odds are taken.
NB_FLOOR = 1e-6


@dataclass
class Layer:
    """The counts from one corpus, and how much one of its comments counts for."""

    weight: float
    spam: int = 0
    ham: int = 0
    tokens: dict[str, list[int]] = field(default_factory=dict)

    def add(self, tokens: Iterable[str], *, is_spam: bool) -> None:
        column = 0 if is_spam else 1
        if is_spam:
            self.spam += 1
        else:
            self.ham += 1
        for token in set(tokens):
            self.tokens.setdefault(token, [0, 0])[column] += 1


def log_odds(probability: float) -> float:
    probability = min(max(probability, NB_FLOOR), 1.0 - NB_FLOOR)
    return math.log(probability / (1.0 - probability))


@dataclass(frozen=True)
class Blend:
    """How naive Bayes and the regression add up: weights on their log-odds, and a bias.

    The default leaves the naive Bayes score as it is, for a model without a regression.
    """

    naive_bayes: float = 1.0
    logistic: float = 0.0
    bias: float = 0.0

    def probability(self, naive_bayes: float, margin: float) -> float:
        return sigmoid(
            self.naive_bayes * log_odds(naive_bayes) + self.logistic * margin + self.bias
        )


@dataclass
class SpamModel:
    layers: dict[str, Layer]
    logistic: Logistic | None = None
    blend: Blend = field(default_factory=Blend)
    # What the training files' own held-out scores would pick; for the record and the bench.
    thresholds: dict[str, float] = field(default_factory=dict)

    def totals(self) -> tuple[float, float]:
        spam = sum(layer.weight * layer.spam for layer in self.layers.values())
        ham = sum(layer.weight * layer.ham for layer in self.layers.values())
        return spam, ham

    def counts(self, tokens: Iterable[str]) -> dict[str, tuple[float, float]]:
        found: dict[str, tuple[float, float]] = {}
        for layer in self.layers.values():
            for token in tokens:
                pair = layer.tokens.get(token)
                if pair is not None:
                    spam, ham = found.get(token, (0.0, 0.0))
                    found[token] = (spam + layer.weight * pair[0], ham + layer.weight * pair[1])
        return found

    def pruned(self, min_sightings: int = MIN_SIGHTINGS) -> "SpamModel":
        seen: dict[str, int] = {}
        for layer in self.layers.values():
            for token, (spam, ham) in layer.tokens.items():
                seen[token] = seen.get(token, 0) + spam + ham
        keep = {token for token, total in seen.items() if total >= min_sightings}
        return self.with_layers(
            {
                name: Layer(
                    layer.weight,
                    layer.spam,
                    layer.ham,
                    {t: pair for t, pair in sorted(layer.tokens.items()) if t in keep},
                )
                for name, layer in self.layers.items()
            }
        )

    def with_layers(self, layers: dict[str, Layer]) -> "SpamModel":
        return SpamModel(layers, self.logistic, self.blend, self.thresholds)

    def to_json(self) -> str:
        layers = {
            name: {"weight": layer.weight, "spam": layer.spam, "ham": layer.ham,
                   "tokens": layer.tokens}
            for name, layer in self.layers.items()
        }  # fmt: skip
        document = {
            "format": FORMAT,
            "version": VERSION,
            "layers": layers,
            "blend": vars(self.blend),
            "thresholds": self.thresholds,
        }
        if self.logistic is not None:
            document["logistic"] = {"bias": self.logistic.bias, "weights": self.logistic.weights}
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    def save(self, path: Path) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")


class ModelFileError(ValueError):
    pass


def load(path: Path) -> SpamModel:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelFileError(f"{path}: not a readable spam model ({error}).") from error
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise ModelFileError(f"{path}: not a {FORMAT} file of version {VERSION}.")
    logistic = document.get("logistic")
    return SpamModel(
        {
            name: Layer(float(raw["weight"]), int(raw["spam"]), int(raw["ham"]), raw["tokens"])
            for name, raw in document["layers"].items()
        },
        Logistic(logistic["weights"], float(logistic["bias"])) if logistic else None,
        Blend(**document.get("blend", {})),
        document.get("thresholds", {}),
    )


@cache
def shipped() -> SpamModel:
    """The model that comes with Masthead, read once per process."""
    return load(SHIPPED)


def token_probability(spam: float, ham: float, spam_total: float, ham_total: float) -> float:
    spam_rate = spam / spam_total if spam_total else 0.0
    ham_rate = ham / ham_total if ham_total else 0.0
    if spam_rate + ham_rate == 0:
        return PRIOR
    raw = spam_rate / (spam_rate + ham_rate)
    seen = spam + ham
    return (STRENGTH * PRIOR + seen * raw) / (STRENGTH + seen)


def clues(counts: dict[str, tuple[float, float]], totals: tuple[float, float]) -> dict[str, float]:
    """Every known token's smoothed probability that a comment containing it is spam."""
    return {token: token_probability(*pair, *totals) for token, pair in counts.items()}


def strongest(probabilities: Iterable[float], limit: int = MAX_CLUES) -> list[float]:
    return sorted(probabilities, key=lambda p: -abs(p - 0.5))[:limit]


def combine(probabilities: list[float]) -> float:
    """Robinson's chi-squared combination: 1 is spam, 0 is not, 0.5 is no evidence or both."""
    if not probabilities:
        return PRIOR
    spam_log = sum(math.log(max(1.0 - p, 1e-200)) for p in probabilities)
    ham_log = sum(math.log(max(p, 1e-200)) for p in probabilities)
    spamminess = 1.0 - _chi2_tail(-2.0 * spam_log, 2 * len(probabilities))
    hamminess = 1.0 - _chi2_tail(-2.0 * ham_log, 2 * len(probabilities))
    return (spamminess - hamminess + 1.0) / 2.0


def shift(probability: float, evidence: Iterable[float]) -> float:
    """``probability`` moved by independent evidence: each clue's log-odds added to its own,
    the result pinned ``NB_FLOOR`` from 0 and 1 like any naive Bayes score."""
    odds = log_odds(probability) + sum(log_odds(p) for p in evidence)
    return min(max(sigmoid(odds), NB_FLOOR), 1.0 - NB_FLOOR)


def _chi2_tail(chi2: float, degrees: int) -> float:
    """P(X >= chi2) for a chi-squared variable with an even number of degrees of freedom."""
    half = chi2 / 2.0
    term = total = math.exp(-half)
    for i in range(1, degrees // 2):
        term *= half / i
        total += term
    return min(total, 1.0)
