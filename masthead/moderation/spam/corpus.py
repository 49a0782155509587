"""Reading labelled comments for training and evaluation.

Two formats are understood, told apart by their first line:

- the YouTube Spam Collection's CSV: a header naming at least ``CONTENT`` and ``CLASS`` (1 is
  spam, 0 is not), optionally ``AUTHOR``;
- the SMS Spam Collection's tab-separated lines: ``ham`` or ``spam``, a tab, the message, with an
  optional first line ``Label<TAB>SMS``.

Anything else, and any line that does not fit its file's format, raises ``CorpusError`` naming
the file and the line, so a bad export never trains or grades a model silently.
"""

import csv
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from masthead.moderation.spam.tokens import normalise

SMS_LABELS = {"ham": False, "spam": True}
CSV_LABELS = {"0": False, "1": True}
YOUTUBE_FILES = (
    "Youtube01-Psy.csv",
    "Youtube02-KatyPerry.csv",
    "Youtube03-LMFAO.csv",
    "Youtube04-Eminem.csv",
)
SMS_FILE = "SMSSpamCollection"


class CorpusError(ValueError):
    """A labelled file that cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class Example:
    body: str
    is_spam: bool
    name: str = ""
    source: str = ""
    line: int = 0
    kind: str = "comments"


def default_corpus_dir() -> Path:
    """``$MASTHEAD_SPAM_CORPUS_DIR``, else ``shared/data/spam`` beside the checkout."""
    configured = os.environ.get("MASTHEAD_SPAM_CORPUS_DIR", "")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3].parent / "shared" / "data" / "spam"


def corpus_files(directory: Path) -> list[Path]:
    """The labelled files in a folder: everything but notes (``*.md``, ``*.txt``) and dotfiles."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CorpusError(f"{directory}: no such folder of labelled files.")
    return sorted(
        path
        for path in directory.iterdir()
        if path.is_file() and not path.name.startswith(".") and path.suffix not in {".md", ".txt"}
    )


def read_examples(path: Path) -> list[Example]:
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise CorpusError(f"{path.name}, line {line}: not valid UTF-8.") from error
    except OSError as error:
        raise CorpusError(f"{path}: cannot be read ({error.strerror}).") from error
    first = text.split("\n", 1)[0].rstrip("\r")
    if not first.strip():
        raise CorpusError(f"{path.name}, line 1: empty; expected a header or a labelled line.")
    if "\t" in first:
        return list(_sms(text, path.name))
    header = [name.strip().upper() for name in next(csv.reader([first]))]
    if {"CONTENT", "CLASS"} <= set(header):
        return list(_youtube(text, path.name))
    raise CorpusError(
        f"{path.name}, line 1: not a labelled file: expected a CSV header with CONTENT and "
        "CLASS columns, or tab-separated lines of 'ham' or 'spam' and the message."
    )


def _sms(text: str, source: str) -> Iterator[Example]:
    for number, line in enumerate(text.splitlines(), start=1):
        if number == 1 and line.casefold().startswith("label\t"):
            continue
        if not line.strip():
            continue
        label, tab, body = line.partition("\t")
        if not tab or label.strip().casefold() not in SMS_LABELS:
            raise CorpusError(
                f"{source}, line {number}: expected 'ham' or 'spam', a tab, then the message; "
                f"got {line[:60]!r}."
            )
        is_spam = SMS_LABELS[label.strip().casefold()]
        yield Example(body, is_spam, "", source, number, kind="messages")


def _youtube(text: str, source: str) -> Iterator[Example]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().upper() for name in next(reader)]
    content, label = header.index("CONTENT"), header.index("CLASS")
    author = header.index("AUTHOR") if "AUTHOR" in header else None
    start = reader.line_num + 1
    for row in reader:
        number, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise CorpusError(
                f"{source}, line {number}: expected {len(header)} columns, found {len(row)}."
            )
        if row[label].strip() not in CSV_LABELS:
            raise CorpusError(
                f"{source}, line {number}: CLASS must be 1 (spam) or 0 (not spam), "
                f"not {row[label]!r}."
            )
        name = row[author] if author is not None else ""
        yield Example(row[content], CSV_LABELS[row[label].strip()], name, source, number)


def dedupe_key(body: str) -> str:
    return " ".join(normalise(body).casefold().split())


def without_duplicates(examples: Iterable[Example]) -> list[Example]:
    """The first of each group of comments that read the same once normalised."""
    seen: set[str] = set()
    kept = []
    for example in examples:
        key = dedupe_key(example.body)
        if key not in seen:
            seen.add(key)
            kept.append(example)
    return kept
