"""Building the model from labelled files, and grading it."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from masthead.moderation.spam.corpus import Example
from masthead.moderation.spam.model import Layer, SpamModel
from masthead.moderation.spam.scoring import comment_tokens

# Text messages are another medium: they teach some vocabulary of spam (prizes, "call now",
# money) but would drown out comments if each counted as much as one.
LAYER_WEIGHTS = {"comments": 1.0, "messages": 0.05}


def train(
    examples: Iterable[Example], *, progress: Callable[[int], None] | None = None
) -> SpamModel:
    layers = {kind: Layer(weight) for kind, weight in LAYER_WEIGHTS.items()}
    for done, example in enumerate(examples, start=1):
        layers[example.kind].add(comment_tokens(body=example.body), is_spam=example.is_spam)
        if progress is not None:
            progress(done)
    return SpamModel(layers)


@dataclass(frozen=True)
class Confusion:
    """Counts at one threshold: a comment scoring at or above it is called spam."""

    threshold: float
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int

    @property
    def precision(self) -> float:
        called = self.true_positives + self.false_positives
        return self.true_positives / called if called else 1.0

    @property
    def recall(self) -> float:
        spam = self.true_positives + self.false_negatives
        return self.true_positives / spam if spam else 1.0

    @property
    def false_positive_rate(self) -> float:
        ham = self.false_positives + self.true_negatives
        return self.false_positives / ham if ham else 0.0


def confusion(scored: list[tuple[float, bool]], threshold: float) -> Confusion:
    tp = sum(1 for p, spam in scored if spam and p >= threshold)
    fp = sum(1 for p, spam in scored if not spam and p >= threshold)
    fn = sum(1 for p, spam in scored if spam and p < threshold)
    tn = sum(1 for p, spam in scored if not spam and p < threshold)
    return Confusion(threshold, tp, fp, fn, tn)


def confusion_table(scored: list[tuple[float, bool]], thresholds: Iterable[float]) -> str:
    lines = [
        "threshold  precision  recall  false-pos-rate |   TP   FP   FN   TN",
        "---------  ---------  ------  -------------- | ---- ---- ---- ----",
    ]
    for threshold in thresholds:
        c = confusion(scored, threshold)
        lines.append(
            f"{threshold:>9.3f}  {c.precision:>9.3f}  {c.recall:>6.3f}  "
            f"{c.false_positive_rate:>14.3f} | {c.true_positives:>4} {c.false_positives:>4} "
            f"{c.false_negatives:>4} {c.true_negatives:>4}"
        )
    return "\n".join(lines)
