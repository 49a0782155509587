"""Matching word-list and link rules against a comment, look-alikes and all.

Both the rule and the comment are reduced to a *skeleton* before they are compared, so a rule
for "idiot" also catches "IDIOT", "ｉｄｉｏｔ" (full-width), "іdіоt" (Cyrillic і and о) and
"1d10t":

1. NFKC normalisation (full-width and styled letters become plain ones), case folding, and
   accents dropped;
2. Cyrillic and Greek letters that look like Latin ones become those Latin letters;
3. inside a word that has at least one letter, digits and symbols standing for letters
   become those letters (0 o, 1 i, 3 e, 4 a, 5 s, 7 t, @ a, $ s, ! i, | i); a number alone
   ("2024") and punctuation at a word's end ("idiot!") are left alone.

"i", "l", "1", "!" and "|" all fold to "i", since each is written for the others; a rule is
folded the same way, so "hello" still matches "he11o". Matching is by whole words (a rule of
several words matches them in a row); a rule ending in ``*`` matches any ending ("idiot*"
also matches "idiots").
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from masthead.moderation.spam.tokens import host_of, links, normalise

LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
        "ј": "j", "һ": "h", "ԁ": "d", "ӏ": "i", "ԛ": "q", "ԝ": "w",
        # Greek
        "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
        # Latin letters written for each other
        "l": "i", "ı": "i",
    }
)  # fmt: skip
LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i",
     "|": "i"}
)  # fmt: skip
TRAILING = ".,;:!?)]}\"'…»"
LEADING = "([{\"'«"
WORD_CHARS = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1024)
def skeleton(text: str) -> str:
    """``text`` as lower-case words of plain Latin letters, joined by single spaces."""
    text = unicodedata.normalize("NFKD", normalise(text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(LOOKALIKES)
    words = []
    for raw in text.split():
        core = raw.strip(TRAILING).lstrip(LEADING)
        if core.startswith("@") and len(core) > 1:
            core = core[1:]  # an @-mention, not an "a"
        if any(ch.isalpha() for ch in core):
            core = core.translate(LEET)
        words.extend(WORD_CHARS.findall(core))
    return " ".join(words)


@dataclass(frozen=True)
class WordPattern:
    words: str
    is_prefix: bool

    @classmethod
    def parse(cls, pattern: str) -> "WordPattern":
        stripped = pattern.strip()
        is_prefix = stripped.endswith("*")
        return cls(skeleton(stripped.rstrip("*")), is_prefix)

    @property
    def regex(self) -> re.Pattern:
        return _compiled(self.words, self.is_prefix)

    def matches(self, text_skeleton: str) -> bool:
        return bool(self.words) and self.regex.search(text_skeleton) is not None


@lru_cache(maxsize=1024)
def _compiled(words: str, is_prefix: bool) -> re.Pattern:
    tail = r"\w*" if is_prefix else r"(?!\w)"
    return re.compile(rf"(?<!\w){re.escape(words)}{tail}")


def domain_clean(pattern: str) -> str:
    """A domain as rules keep it: lower case, no scheme, no ``www.``, no path."""
    return host_of(pattern.strip())


def comment_domains(body: str, url: str = "") -> set[str]:
    found = {host_of(link) for link in links(normalise(body))}
    if url:
        found.add(host_of(url))
    return {host for host in found if host}


def domain_matches(domain: str, hosts: set[str]) -> bool:
    return bool(domain) and any(h == domain or h.endswith(f".{domain}") for h in hosts)


def word_matches(pattern: str, text: str) -> bool:
    return WordPattern.parse(pattern).matches(skeleton(text))
