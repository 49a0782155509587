"""Benchmark of the local spam model: leave-one-file-out over the YouTube comment files.

Exact duplicates (after normalising) are removed across all files before splitting. Each
YouTube file is held out in turn; the model is trained on the other three plus the SMS file
(extra training only, as `masthead spam train` does, blend and all) and scores the held-out
comments with their author as the commenter's name and every comment in the other three files
as the recent comments on other posts (each file is the comments on one video). Figures are
given twice: at the configured thresholds, which were chosen on these same folds, and nested,
each file at the thresholds its own fold's training files picked without seeing it. Then the
scoring speed of the shipped model. Run with `make bench-spam`; `--regression` measures the
logistic regression blended in (not shipped, see docs/spam.md).
"""

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")

import django

django.setup()

from masthead.moderation.spam import hold_threshold, score_comment, spam_threshold  # noqa: E402
from masthead.moderation.spam.corpus import (  # noqa: E402
    SMS_FILE,
    YOUTUBE_FILES,
    corpus_files,
    default_corpus_dir,
    read_examples,
    without_duplicates,
)
from masthead.moderation.spam.model import shipped  # noqa: E402
from masthead.moderation.spam.scoring import opinions  # noqa: E402
from masthead.moderation.spam.training import (  # noqa: E402
    confusion,
    pick_thresholds,
    prepare,
    train_prepared,
)
from masthead.publishing.demo_content import COMMENTS, POSTS  # noqa: E402

TARGET_FPR, TARGET_RECALL, TARGET_HOLD_RECALL = 0.01, 0.90, 0.97


@dataclass
class Fold:
    scores: list[tuple[float, bool]]
    naive_bayes: list[tuple[float, bool]]
    thresholds: dict[str, float]
    # How often a hand-set signal fired on a held-out comment: (spam, not spam).
    fired: Counter


SIGNALS = (
    "names its commenter",
    "near-duplicate of a recent comment",
    "stock phrase",
    "referral link",
    "shortened link",
)


def held_out_folds(directory: Path, *, regression: bool = False) -> dict[str, Fold]:
    # Deduplicated across every file, in the same order `masthead spam train` reads them.
    everything = without_duplicates(
        e for path in corpus_files(directory) for e in read_examples(path)
    )
    if SMS_FILE not in {e.source for e in everything}:
        raise SystemExit(f"{SMS_FILE} is missing from {directory}")
    prepared = prepare(everything)
    folds = {}
    for held in YOUTUBE_FILES:
        rest = [p for p in prepared if p.example.source != held]
        model = train_prepared(rest, regression=regression)
        # The other videos are the other posts: all their comments, whatever their label,
        # as the site compares with every recent comment elsewhere, spam or not.
        elsewhere = [e.body for e in everything if e.source in YOUTUBE_FILES and e.source != held]
        scores, naive_bayes, fired = [], [], Counter()
        for example in (e for e in everything if e.source == held):
            fields = {"body": example.body, "name": example.name, "recent_bodies": elsewhere}
            score = score_comment(**fields, model=model)
            scores.append((score.probability, example.is_spam))
            naive_bayes.append((opinions(**fields, model=model)[0], example.is_spam))
            for signal in SIGNALS:
                if any(reason.startswith(signal) for reason in score.reasons):
                    fired[signal, example.is_spam] += 1
        folds[held] = Fold(scores, naive_bayes, model.thresholds, fired)
    return folds


HEADER = (
    f"{'held-out file':<36} spam  ham | {'at spam threshold':^20} | {'at hold':^13}\n"
    f"{'':<46} | {'FPR':>6} {'recall':>6} {'prec.':>6} | {'FPR':>6} {'recall':>6}"
)


def row(name: str, scored, spam_at, hold_at, *, hold=None) -> str:
    """One line of figures; ``scored`` holds (score, is spam), or (called spam, is spam) with
    thresholds of True for figures whose thresholds differ by fold."""
    spam, hold = confusion(scored, spam_at), confusion(hold or scored, hold_at)
    n_spam = spam.true_positives + spam.false_negatives
    n_ham = spam.false_positives + spam.true_negatives
    return (
        f"{name:<36} {n_spam:>4} {n_ham:>4} | {spam.false_positive_rate:>6.1%} {spam.recall:>6.1%}"
        f" {spam.precision:>6.1%} | {hold.false_positive_rate:>6.1%} {hold.recall:>6.1%}"
    )


def speed() -> tuple[float, float]:
    model = shipped()
    post = POSTS[0]["title"] + "\n" + POSTS[0]["body"]
    bodies = [c["body"] for c in COMMENTS if c["body"]]
    timings = []
    for _ in range(20):
        start = time.perf_counter()
        for comment in COMMENTS:
            score_comment(**_fields(comment), post_text=post, recent_bodies=bodies, model=model)
        timings.append((time.perf_counter() - start) / len(COMMENTS))
    bare = []
    for _ in range(20):
        start = time.perf_counter()
        for comment in COMMENTS:
            score_comment(body=comment["body"], model=model)
        bare.append((time.perf_counter() - start) / len(COMMENTS))
    return statistics.median(bare) * 1000, statistics.median(timings) * 1000


def _fields(comment: dict) -> dict:
    return {key: comment[key] for key in ("name", "email", "url", "body")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus-dir", type=Path, default=default_corpus_dir())
    parser.add_argument(
        "--regression",
        action="store_true",
        help="Blend in the logistic regression (not shipped) and pick thresholds for it.",
    )
    options = parser.parse_args()
    spam_at, hold_at = spam_threshold(), hold_threshold()
    folds = held_out_folds(options.corpus_dir, regression=options.regression)
    if options.regression:
        pooled = [pair for fold in folds.values() for pair in fold.scores]
        picked = pick_thresholds(pooled)
        spam_at, hold_at = picked["spam"], picked["hold"]
        print("With the logistic regression blended in; thresholds picked on these folds.")
    pooled = [pair for fold in folds.values() for pair in fold.scores]
    print(f"Leave-one-file-out, spam threshold {spam_at}, hold threshold {hold_at}\n")
    print(HEADER)
    for name, fold in folds.items():
        print(row(name, fold.scores, spam_at, hold_at))
    print(row("pooled", pooled, spam_at, hold_at))
    print(verdict(pooled, spam_at, hold_at))
    fired = sum((fold.fired for fold in folds.values()), Counter())
    print(
        "Fired on held-out comments (spam / not spam): "
        + "; ".join(f"{s} {fired[s, True]} / {fired[s, False]}" for s in SIGNALS)
    )
    picked = pick_thresholds(pooled)
    print(
        f"Thresholds these folds would pick: spam {picked['spam']:.4f} "
        f"(recall {confusion(pooled, picked['spam']).recall:.1%}), hold {picked['hold']:.4f} "
        f"(FPR {confusion(pooled, picked['hold']).false_positive_rate:.1%})"
    )
    print("\nNested: each file at the thresholds its fold's own training files picked\n")
    print(HEADER)
    nested = {"spam": [], "hold": []}
    for name, fold in folds.items():
        at = fold.thresholds
        print(
            row(f"{name} ({at['spam']:.3f}/{at['hold']:.3f})", fold.scores, at["spam"], at["hold"])
        )
        nested["spam"] += [(p >= at["spam"], spam) for p, spam in fold.scores]
        nested["hold"] += [(p >= at["hold"], spam) for p, spam in fold.scores]
    print(row("pooled", nested["spam"], True, True, hold=nested["hold"]))
    print(verdict(nested["spam"], True, True, hold=nested["hold"]))
    if options.regression:
        alone = [pair for fold in folds.values() for pair in fold.naive_bayes]
        nb_at = pick_thresholds(alone)
        print(
            f"\nNaive Bayes part alone, at the thresholds these folds would pick for it: spam "
            f"{nb_at['spam']:.4f} (FPR {confusion(alone, nb_at['spam']).false_positive_rate:.1%}"
            f", recall {confusion(alone, nb_at['spam']).recall:.1%}), hold {nb_at['hold']:.4f} "
            f"(FPR {confusion(alone, nb_at['hold']).false_positive_rate:.1%})"
        )
    bare, full = speed()
    print(
        f"\nScoring speed, shipped model: {bare:.3f} ms per comment (body only), "
        f"{full:.3f} ms with post text and 16 recent comments"
    )
    return 0


def verdict(pooled, spam_at, hold_at, *, hold=None) -> str:
    at_spam, at_hold = confusion(pooled, spam_at), confusion(hold or pooled, hold_at)
    return (
        f"\nTargets (pooled): FPR <= {TARGET_FPR:.0%} at spam threshold: "
        f"{'met' if at_spam.false_positive_rate <= TARGET_FPR else 'MISSED'}; "
        f"recall >= {TARGET_RECALL:.0%} there: "
        f"{'met' if at_spam.recall >= TARGET_RECALL else 'MISSED'}; "
        f"recall >= {TARGET_HOLD_RECALL:.0%} at hold threshold: "
        f"{'met' if at_hold.recall >= TARGET_HOLD_RECALL else 'MISSED'}"
    )


if __name__ == "__main__":
    sys.exit(main())
