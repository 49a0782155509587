"""Documentation that stays true: every environment variable the code reads is documented."""

import re
from pathlib import Path

import masthead

PACKAGE = Path(masthead.__file__).parent
DOC = PACKAGE.parent / "docs" / "configuration.md"
READS = re.compile(
    r"""(?:environ(?:\.get|\.setdefault)?\(?\[?|env_(?:bool|int|list)\()\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def variables_read_by_the_code() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts:
            continue
        found.update(READS.findall(path.read_text()))
    return found - {"DJANGO_SETTINGS_MODULE"}


def test_the_scan_finds_what_settings_reads():
    assert {"DATABASE_URL", "REDIS_URL", "MASTHEAD_SECRET_KEY"} <= variables_read_by_the_code()


def test_every_environment_variable_is_documented():
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", DOC.read_text()))
    missing = sorted(variables_read_by_the_code() - documented)
    assert missing == [], f"Document these in docs/configuration.md: {missing}"
