"""Logistic regression on a comment's features, trained by stochastic gradient descent.

Scoring is a sum of weights from a dict; training is pure Python too, so the same files give
the same weights on every machine. The optimiser is plain SGD on the L2-regularised log loss,
with the weight vector kept as a scale times a dict (Léon Bottou's trick) so that shrinking
every weight costs one multiplication. Each labelled example carries a weight, so text messages
can count for less than comments, and a ``medium:`` feature of their own so that their share of
spam sets their own intercept, not the comments'.

Every feature of a comment counts ``1 / sqrt(number of its features)``: the feature vector has
length one. Without that, a long comment adds up hundreds of small leanings, and since long
comments in the training corpora are mostly spam, a thoughtful reader's long reply would be too.
"""

import math
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass

# Inverse regularisation strength, as in most libraries: larger trusts the data more.
STRENGTH = 30.0
EPOCHS = 10
FIRST_STEP = 0.5
BIAS_STEP = 0.1
SEED = 7
# Features seen in fewer training examples than this get no weight.
MIN_SEEN = 2
DECIMALS = 4


@dataclass
class Logistic:
    weights: dict[str, float]
    bias: float = 0.0

    def margin(self, features: Collection[str]) -> float:
        """The log-odds of spam: positive leans spam, negative leans not."""
        if not features:
            return self.bias
        weights = self.weights
        total = sum(weights.get(feature, 0.0) for feature in features)
        return self.bias + total * feature_value(len(features))


@dataclass(frozen=True)
class Row:
    features: Sequence[str]
    is_spam: bool
    weight: float = 1.0


def feature_value(count: int) -> float:
    return 1.0 / math.sqrt(max(count, 1))


def sigmoid(margin: float) -> float:
    if margin < -35.0:
        return 0.0
    return 1.0 / (1.0 + math.exp(-margin))


def fit(rows: Sequence[Row], *, strength: float = STRENGTH, epochs: int = EPOCHS) -> Logistic:
    seen: dict[str, int] = {}
    for row in rows:
        for feature in row.features:
            seen[feature] = seen.get(feature, 0) + 1
    kept = [
        (
            [f for f in row.features if seen[f] >= MIN_SEEN],
            1.0 if row.is_spam else 0.0,
            row.weight,
            feature_value(len(row.features)),
        )
        for row in rows
    ]
    shrink = 1.0 / (strength * sum(row.weight for row in rows))
    values: dict[str, float] = {}
    scale, bias, step_count = 1.0, 0.0, 0
    order = list(range(len(kept)))
    shuffler = random.Random(SEED)  # noqa: S311 - a fixed order, not a secret
    for _ in range(epochs):
        shuffler.shuffle(order)
        for index in order:
            features, label, weight, value = kept[index]
            step = FIRST_STEP / (1.0 + FIRST_STEP * shrink * step_count)
            step_count += 1
            margin = bias + scale * value * sum(values.get(f, 0.0) for f in features)
            gradient = weight * (sigmoid(margin) - label)
            scale *= 1.0 - step * shrink
            if scale < 1e-9:
                values = {f: v * scale for f, v in values.items()}
                scale = 1.0
            bias -= BIAS_STEP * step * gradient
            move = step * gradient * value / scale
            for f in features:
                values[f] = values.get(f, 0.0) - move
    weights = {f: round(v * scale, DECIMALS) for f, v in sorted(values.items())}
    return Logistic({f: w for f, w in weights.items() if w}, round(bias, DECIMALS))
