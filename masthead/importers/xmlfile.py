"""Streaming XML for the importers: defusedxml's iterparse, every failure an ImportFileError.

Both export formats are read the same way, so a truncated file, text that is not UTF-8 or a
DOCTYPE with entities gets the same clear message, naming the line and column, whichever
importer meets it.
"""

import re
from collections.abc import Iterator
from typing import BinaryIO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

from masthead.importers.exceptions import ImportFileError

DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def xml_events(source: BinaryIO, *, kind: str) -> Iterator[tuple[str, object]]:
    """("start" | "end", element) pairs; ``kind`` names the export in the DOCTYPE refusal."""
    try:
        yield from iterparse(source, events=("start", "end"), forbid_dtd=True)
    except ParseError as error:
        line, column = error.position
        # expat counts columns from 0; editors count from 1.
        raise ImportFileError(_parse_message(error), line=line, column=column + 1) from error
    except DefusedXmlException as error:
        line, column = _doctype_position(source)
        raise ImportFileError(
            f"refused: the file declares a DOCTYPE or entities ({type(error).__name__}); "
            f"{kind} exports never do",
            line=line,
            column=column,
        ) from error
    except (LookupError, ValueError) as error:  # expat on an encoding it cannot decode
        raise ImportFileError(f"the file's text cannot be read ({error})") from error


def _parse_message(error: ParseError) -> str:
    message = str(error).split(":", 1)[0]
    if "no element found" in message:
        return "the file ends too early (truncated?)"
    if "syntax error" in message:
        return "this is not XML (syntax error)"
    if "not well-formed" in message or "invalid token" in message:
        return "not well-formed XML (or not UTF-8 text)"
    return message


def _doctype_position(source: BinaryIO) -> tuple[int | None, int | None]:
    try:
        source.seek(0)
        head = source.read(1 << 16)
    except (OSError, ValueError):
        return None, None
    match = DOCTYPE.search(head)
    if not match:
        return None, None
    before = head[: match.start()]
    return before.count(b"\n") + 1, match.start() - (before.rfind(b"\n") + 1) + 1
