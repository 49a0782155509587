"""Benchmark of the local spam model: leave-one-file-out over the YouTube comment files.

Exact duplicates (after normalising) are removed across all files before splitting. Each
YouTube file is held out in turn; the model is trained on the other three plus the SMS file
(extra training only) and scores the held-out comments at the configured thresholds. Then the
scoring speed of the shipped model. Run with `make bench-spam`.
"""

import argparse
import os
import statistics
import sys
import time
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
from masthead.moderation.spam.training import confusion, train  # noqa: E402
from masthead.publishing.demo_content import COMMENTS, POSTS  # noqa: E402

TARGET_FPR, TARGET_RECALL, TARGET_HOLD_RECALL = 0.01, 0.90, 0.97


def held_out_scores(directory: Path) -> dict[str, list[tuple[float, bool]]]:
    # Deduplicated across every file, in the same order `masthead spam train` reads them.
    everything = without_duplicates(
        e for path in corpus_files(directory) for e in read_examples(path)
    )
    if SMS_FILE not in {e.source for e in everything}:
        raise SystemExit(f"{SMS_FILE} is missing from {directory}")
    scores = {}
    for held in YOUTUBE_FILES:
        model = train(e for e in everything if e.source != held)
        scores[held] = [
            (score_comment(body=e.body, model=model).probability, e.is_spam)
            for e in everything
            if e.source == held
        ]
    return scores


def row(name: str, scored: list[tuple[float, bool]], spam_at: float, hold_at: float) -> str:
    spam, hold = confusion(scored, spam_at), confusion(scored, hold_at)
    n_spam = spam.true_positives + spam.false_negatives
    n_ham = spam.false_positives + spam.true_negatives
    return (
        f"{name:<26} {n_spam:>4} {n_ham:>4} | {spam.false_positive_rate:>6.1%} {spam.recall:>6.1%}"
        f" {spam.precision:>6.1%} | {hold.false_positive_rate:>6.1%} {hold.recall:>6.1%}"
    )


def suggested(pooled: list[tuple[float, bool]]) -> tuple[float, float]:
    grid = sorted({p for p, _ in pooled})
    spam_at = next(t for t in grid if confusion(pooled, t).false_positive_rate <= TARGET_FPR)
    hold_at = max(t for t in grid if confusion(pooled, t).recall >= TARGET_HOLD_RECALL)
    return spam_at, hold_at


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
    options = parser.parse_args()
    spam_at, hold_at = spam_threshold(), hold_threshold()
    scores = held_out_scores(options.corpus_dir)
    pooled = [pair for scored in scores.values() for pair in scored]
    print(f"Leave-one-file-out, spam threshold {spam_at}, hold threshold {hold_at}\n")
    print(f"{'held-out file':<26} spam  ham | {'at spam threshold':^20} | {'at hold':^13}")
    print(f"{'':<36} | {'FPR':>6} {'recall':>6} {'prec.':>6} | {'FPR':>6} {'recall':>6}")
    for name, scored in scores.items():
        print(row(name, scored, spam_at, hold_at))
    print(row("pooled", pooled, spam_at, hold_at))
    at_spam, at_hold = confusion(pooled, spam_at), confusion(pooled, hold_at)
    print(
        f"\nTargets (pooled): FPR <= {TARGET_FPR:.0%} at spam threshold: "
        f"{'met' if at_spam.false_positive_rate <= TARGET_FPR else 'MISSED'}; "
        f"recall >= {TARGET_RECALL:.0%} there: "
        f"{'met' if at_spam.recall >= TARGET_RECALL else 'MISSED'}; "
        f"recall >= {TARGET_HOLD_RECALL:.0%} at hold threshold: "
        f"{'met' if at_hold.recall >= TARGET_HOLD_RECALL else 'MISSED'}"
    )
    best_spam, best_hold = suggested(pooled)
    print(
        f"Thresholds these folds would pick: spam {best_spam:.4f} "
        f"(recall {confusion(pooled, best_spam).recall:.1%}), hold {best_hold:.4f} "
        f"(FPR {confusion(pooled, best_hold).false_positive_rate:.1%})"
    )
    bare, full = speed()
    print(
        f"\nScoring speed, shipped model: {bare:.3f} ms per comment (body only), "
        f"{full:.3f} ms with post text and 16 recent comments"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
