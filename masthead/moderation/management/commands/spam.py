"""``masthead spam train`` rebuilds the shipped spam model; ``masthead spam evaluate`` grades it.

Both read the labelled corpora described in docs/spam.md, by default from
``$MASTHEAD_SPAM_CORPUS_DIR`` or ``shared/data/spam`` beside the checkout.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from masthead.moderation.spam import hold_threshold, score_comment, spam_threshold
from masthead.moderation.spam.corpus import (
    CorpusError,
    corpus_files,
    default_corpus_dir,
    read_examples,
    without_duplicates,
)
from masthead.moderation.spam.model import SHIPPED, ModelFileError, load
from masthead.moderation.spam.training import confusion_table, train


class Command(BaseCommand):
    help = "Train the local spam model from labelled files, or evaluate it on one."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True, metavar="{train,evaluate}")
        trainer = verbs.add_parser("train", help="Rebuild the model from a folder of files.")
        trainer.add_argument(
            "--corpus-dir",
            type=Path,
            help="Folder of labelled files (default: $MASTHEAD_SPAM_CORPUS_DIR or "
            "shared/data/spam beside the checkout).",
        )
        trainer.add_argument(
            "--output", type=Path, default=SHIPPED, help="Where to write the model (JSON)."
        )
        trainer.add_argument(
            "--regression",
            action="store_true",
            help="Also fit the logistic regression and its blend (measured, not shipped; "
            "see docs/spam.md).",
        )
        grader = verbs.add_parser("evaluate", help="Score a labelled file and print the figures.")
        grader.add_argument("file", type=Path, help="A labelled file in a corpus format.")
        grader.add_argument(
            "--model", type=Path, default=SHIPPED, help="The model file to grade (JSON)."
        )
        grader.add_argument(
            "--threshold",
            type=float,
            action="append",
            dest="thresholds",
            help="Also report at this threshold (repeatable).",
        )

    def handle(self, *args, verb: str, **options):
        try:
            if verb == "train":
                self.train(
                    options["corpus_dir"] or default_corpus_dir(),
                    options["output"],
                    regression=options["regression"],
                )
            else:
                self.evaluate(options["file"], options["model"], options["thresholds"] or [])
        except (CorpusError, ModelFileError) as error:
            raise CommandError(str(error)) from error

    def train(self, directory: Path, output: Path, *, regression: bool) -> None:
        files = corpus_files(directory)
        if not files:
            raise CommandError(f"{directory}: no labelled files in it.")
        examples = without_duplicates(e for path in files for e in read_examples(path))
        spam = sum(e.is_spam for e in examples)
        self.stdout.write(
            f"Training on {len(examples)} distinct comments ({spam} spam) from "
            f"{len(files)} files in {directory}"
        )
        progress = self.progress_bar(len(examples))
        model = train(examples, progress=progress, regression=regression).pruned()
        output.parent.mkdir(parents=True, exist_ok=True)
        model.save(output)
        tokens = len({t for layer in model.layers.values() for t in layer.tokens})
        weights = len(model.logistic.weights) if model.logistic else 0
        kept = f"{tokens} tokens, {weights} regression weights" if weights else f"{tokens} tokens"
        self.stdout.write(self.style.SUCCESS(f"Wrote {output} ({kept})."))
        if model.thresholds:
            self.stdout.write(
                f"Thresholds the held-out files would pick: spam {model.thresholds['spam']}, "
                f"hold {model.thresholds['hold']} (settings decide; see docs/spam.md)."
            )

    def progress_bar(self, total: int):
        if not self.stdout.isatty():
            return None
        width, stream = 40, self.stdout

        def show(done: int) -> None:
            if done % 50 and done != total:
                return
            filled = width * done // total
            stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
            if done == total:
                stream.write("")
            stream.flush()

        return show

    def evaluate(self, path: Path, model_path: Path, extra: list[float]) -> None:
        model = load(model_path)
        examples = read_examples(path)
        if not examples:
            raise CommandError(f"{path}: no labelled comments in it.")
        scored = [
            (score_comment(body=e.body, model=model).probability, e.is_spam) for e in examples
        ]
        spam = sum(is_spam for _, is_spam in scored)
        self.stdout.write(
            f"{path.name}: {len(scored)} comments, {spam} spam, {len(scored) - spam} not spam"
        )
        thresholds = sorted({hold_threshold(), spam_threshold(), *extra})
        self.stdout.write(confusion_table(scored, thresholds))
        self.stdout.write(
            f"Hold threshold {hold_threshold()}, spam threshold {spam_threshold()}; a comment "
            "scoring at or above a threshold counts as called spam there."
        )
