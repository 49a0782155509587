"""Coverage-guided fuzzing of the WXR reader: `python -m masthead.importers.fuzz [flags] [dirs]`.

Whatever bytes an operator hands the importer, the reader either yields records or raises
``ImportFileError`` naming the place; any other exception is a crash. Flags and corpus folders
are libFuzzer's (``-max_total_time=20``, ``-atheris_runs=N``, ``-artifact_prefix=dir/``).
atheris runs in its own process, since it instruments the code it imports.
"""

import io
import sys


def wxr_read_all(data: bytes) -> None:
    """Read ``data`` as a WXR file to the end; a crash is any error but ``ImportFileError``."""
    from masthead.importers.exceptions import ImportFileError
    from masthead.importers.wxr import read_wxr

    try:
        for _ in read_wxr(io.BytesIO(data)):
            pass
    except ImportFileError:
        pass


def main(argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["masthead.importers", "defusedxml"]):
        import masthead.importers.wxr  # noqa: F401

    atheris.Setup(argv, wxr_read_all)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
