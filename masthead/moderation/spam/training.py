"""Building the model from labelled files, and grading it.

Training counts the naive Bayes tokens of everything it is given. Each file of comments is
also left out in turn and scored by a model counted without it; those held-out scores say which
thresholds these files would pick, and the model keeps them for the record (the bench uses them
for its nested figures).

With ``regression=True`` a logistic regression is fitted beside the counts, and a three-number
blend (weight on naive Bayes's log-odds, weight on the regression's margin, bias) is fitted to
the held-out scores of both. It is measured by ``bench/spam.py --regression`` and not shipped:
see docs/spam.md for why.
"""

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from masthead.moderation.spam import logistic
from masthead.moderation.spam.corpus import Example
from masthead.moderation.spam.features import features
from masthead.moderation.spam.model import Blend, Layer, SpamModel, log_odds
from masthead.moderation.spam.scoring import body_tokens, opinions

# Text messages are another medium: they teach some vocabulary of spam (prizes, "call now",
# money) but would drown out comments if each counted as much as one.
LAYER_WEIGHTS = {"comments": 1.0, "messages": 0.05}
TARGET_FALSE_POSITIVE_RATE = 0.01
TARGET_HOLD_RECALL = 0.97
# A little ridge on the blend's two weights, so a handful of comments cannot swing them.
BLEND_RIDGE = 1.0
DECIMALS = 4


@dataclass(frozen=True)
class Prepared:
    example: Example
    tokens: list[str]
    features: list[str]


def train(
    examples: Iterable[Example],
    *,
    progress: Callable[[int], None] | None = None,
    regression: bool = False,
) -> SpamModel:
    return train_prepared(prepare(examples, progress=progress), regression=regression)


def prepare(
    examples: Iterable[Example], *, progress: Callable[[int], None] | None = None
) -> list[Prepared]:
    """Each example with its tokens and features, worked out once for every fit."""
    prepared = []
    for done, example in enumerate(examples, start=1):
        prepared.append(
            Prepared(example, body_tokens(example.body, name=example.name), features(example.body))
        )
        if progress is not None:
            progress(done)
    return prepared


def train_prepared(prepared: Sequence[Prepared], *, regression: bool = False) -> SpamModel:
    model = fit_parts(prepared, regression=regression)
    held = held_out(prepared, regression=regression)
    if regression:
        model.blend = fit_blend(held)
    scored = [(model.blend.probability(nb, margin), is_spam) for nb, margin, is_spam in held]
    model.thresholds = pick_thresholds(scored) if scored else {}
    return model


def fit_parts(prepared: Sequence[Prepared], *, regression: bool = False) -> SpamModel:
    """Naive Bayes counts, and the regression if asked, fitted on the same examples."""
    layers = {kind: Layer(weight) for kind, weight in LAYER_WEIGHTS.items()}
    for item in prepared:
        layers[item.example.kind].add(item.tokens, is_spam=item.example.is_spam)
    if not regression:
        return SpamModel(layers)
    rows = [
        logistic.Row(
            item.features
            + ([] if item.example.kind == "comments" else [f"medium:{item.example.kind}"]),
            item.example.is_spam,
            LAYER_WEIGHTS[item.example.kind],
        )
        for item in prepared
    ]
    return SpamModel(layers, logistic.fit(rows))


def held_out(
    prepared: Sequence[Prepared], *, regression: bool = False
) -> list[tuple[float, float, bool]]:
    """Each comment file's scores from a model fitted without it: (naive Bayes, margin, label).

    A file stands for the comments on one post: the other files' comments, spam or not, are
    the recent comments on other posts that the near-duplicate check compares with. With
    comments from a single file, its comments are split in two halves instead.
    """
    comments = [i for i, item in enumerate(prepared) if item.example.kind == "comments"]
    sources = sorted({prepared[i].example.source for i in comments})
    if len(sources) >= 2:
        groups = [{i for i in comments if prepared[i].example.source == s} for s in sources]
    else:
        groups = [set(comments[0::2]), set(comments[1::2])]
    found = []
    for group in groups:
        if not group:
            continue
        rest = [item for i, item in enumerate(prepared) if i not in group]
        model = fit_parts(rest, regression=regression)
        elsewhere = [prepared[i].example.body for i in comments if i not in group]
        for i in sorted(group):
            example = prepared[i].example
            held = opinions(example.body, model, name=example.name, recent_bodies=elsewhere)
            found.append((*held, example.is_spam))
    return found


def fit_blend(held: Sequence[tuple[float, float, bool]], iterations: int = 25) -> Blend:
    """Newton's method on the blend's log loss, from equal weights."""
    if not held or len({is_spam for *_, is_spam in held}) < 2:
        return Blend(0.5, 0.5, 0.0)
    points = [
        ((log_odds(nb), margin, 1.0), 1.0 if is_spam else 0.0) for nb, margin, is_spam in held
    ]
    theta = [0.5, 0.5, 0.0]
    for _ in range(iterations):
        gradient = [BLEND_RIDGE * theta[0], BLEND_RIDGE * theta[1], 0.0]
        hessian = [[BLEND_RIDGE, 0.0, 0.0], [0.0, BLEND_RIDGE, 0.0], [0.0, 0.0, 1e-9]]
        for x, label in points:
            p = logistic.sigmoid(sum(t * v for t, v in zip(theta, x, strict=True)))
            for j in range(3):
                gradient[j] += (p - label) * x[j]
                for k in range(3):
                    hessian[j][k] += p * (1.0 - p) * x[j] * x[k]
        theta = [t - d for t, d in zip(theta, _solve(hessian, gradient), strict=True)]
    return Blend(*(round(t, DECIMALS) for t in theta))


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting, for the blend's three-by-three system."""
    size = len(vector)
    rows = [[*row, value] for row, value in zip(matrix, vector, strict=True)]
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(col + 1, size):
            factor = rows[r][col] / rows[col][col]
            rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    solution = [0.0] * size
    for r in reversed(range(size)):
        known = sum(rows[r][c] * solution[c] for c in range(r + 1, size))
        solution[r] = (rows[r][size] - known) / rows[r][r]
    return solution


def pick_thresholds(scored: list[tuple[float, bool]]) -> dict[str, float]:
    """The lowest spam threshold keeping the false-positive rate at or under 1%, and the
    highest hold threshold keeping recall at or above 0.97, on these scores."""
    grid = sorted({p for p, _ in scored})
    spam_at = next(
        (t for t in grid if confusion(scored, t).false_positive_rate <= TARGET_FALSE_POSITIVE_RATE),
        1.0,
    )
    hold_at = max(
        (t for t in grid if confusion(scored, t).recall >= TARGET_HOLD_RECALL), default=0.0
    )
    return {"spam": _round_up(spam_at), "hold": _round_down(hold_at)}


def _round_up(value: float) -> float:
    return math.ceil(value * 10**DECIMALS) / 10**DECIMALS


def _round_down(value: float) -> float:
    return math.floor(value * 10**DECIMALS) / 10**DECIMALS


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
