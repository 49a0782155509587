"""Turning a comment into the tokens the spam model counts.

Besides words and word pairs, a comment yields tokens for what spammers do with the shape of a
message: links and the domains they point to, shouting in capitals, runs of exclamation marks,
emoji, long numbers, money. Each kind of token carries a prefix (``host:``, ``caps:``) so a
word can never be confused with a signal.
"""

import html
import itertools
import re
import unicodedata
from functools import lru_cache

INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"))
ANCHOR = re.compile(r"""<a\s[^>]*?href\s*=\s*["']?([^"'\s>]+)[^>]*>""", re.IGNORECASE)
TAG = re.compile(r"</?[a-z][^>]*>", re.IGNORECASE)
TLDS = (
    "com|net|org|info|biz|co|io|me|ly|tk|ru|de|uk|us|in|tv|cc|gl|gd|be|xyz|online|site|"
    "club|top|shop|store|app|to|fm|ws|eu|ca|au|fr|pl|nl|br|it|es|ch|jp|cn|vn|ph|pk|my|ml|ga"
)
LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    rf"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{TLDS})\b(?:/[^\s<>\"']*)?"
    r"|/watch\?v=[\w-]+",
    re.IGNORECASE,
)
# An address written so that it is not a link: "example . com", "example(dot)com".
HIDDEN_LINK = re.compile(
    r"\b([A-Za-z0-9][A-Za-z0-9-]{2,})(?: ?\. | \.|\s?[(\[]dot[)\]]\s?)"
    r"(com|net|org|info|biz|COM|NET|ORG|INFO|BIZ)\b"
)
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
EMOJI_CATEGORIES = {"So", "Sk"}
ASCII_SYMBOLS = [ch for ch in map(chr, range(128)) if unicodedata.category(ch) in EMOJI_CATEGORIES]


def wordlist(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that say more about a comment's length than its intent.
STOP_WORDS = wordlist(
    "a about above after again against all also am an and any are aren't as at be because been "
    "before being below between both but by can can't could couldn't did didn't do does doesn't "
    "doing don't down during each even ever every few for from further get got had hadn't has "
    "hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his "
    "how how's however i i'd i'll i'm i've if in into is isn't it it's its itself just let's "
    "like made make many may me might more most much must mustn't my myself new no nor not now "
    "of off on once one only or other ought our ours ourselves out over own really same say "
    "said shall she she'd she'll she's should shouldn't since so some still such than that "
    "that's the their theirs them themselves then there there's these they they'd they'll "
    "they're they've thing things think this those though through to too under until up upon "
    "us very via was wasn't way we we'd we'll we're we've well were weren't what what's when "
    "when's where where's whether which while who who's whom why why's will with won't would "
    "wouldn't yes yet you you'd you'll you're you've your yours yourself yourselves wow "
    "anyway anyways definitely actually"
)
BARE_LINK_WORDS = 3
# Words of self-promotion that spammers misspell, by accident or to slip past filters.
PROMOTION_WORDS = ("subscribe", "subscribed", "subscriber", "subscribers", "channel", "channels")
MISSPELT_LENGTH = 6
URL_NOISE = {"http", "https", "www", "com", "net", "org", "html", "php"}


def normalise(text: str) -> str:
    """Plain text as a reader would see it: entities decoded, tags gone, look-alikes folded."""
    text = html.unescape(text or "")
    text = ANCHOR.sub(lambda match: f" {match.group(1)} ", text)
    text = TAG.sub(" ", text)
    return unicodedata.normalize("NFKC", text).translate(INVISIBLE)


def links(text: str) -> list[str]:
    return LINK.findall(text)


def words(text: str) -> list[str]:
    """Lower-cased words of ``text`` with its links taken out, misspelt promotion words
    ("suscribe", "subscrible", "chanel") spelt as the word they stand for."""
    return [respelt(w) for w in WORD.findall(LINK.sub(" ", text).casefold())]


# Words repeat from comment to comment: each is compared with the promotion words once.
@lru_cache(maxsize=8192)
def respelt(word: str) -> str:
    if len(word) < MISSPELT_LENGTH or word in PROMOTION_WORDS or word[0] not in "sc":
        return word
    return next((w for w in PROMOTION_WORDS if one_edit_apart(word, w)), word)


def one_edit_apart(a: str, b: str) -> bool:
    """One letter added, dropped or changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    short, long = sorted((a, b), key=len)
    i = next(
        (i for i, (x, y) in enumerate(zip(short, long[: len(short)], strict=True)) if x != y),
        len(short),
    )
    if len(a) != len(b):
        return short[i:] == long[i + 1 :]
    swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i]
    return a[i + 1 :] == b[i + 1 :] or (swapped and a[i + 2 :] == b[i + 2 :])


def host_of(link: str) -> str:
    link = re.sub(r"^(?:https?://)?(?:www\.)?", "", link.casefold())
    return re.split(r"[/?#:]", link, maxsplit=1)[0].strip(".")


def link_tokens(found: list[str]) -> list[str]:
    tokens = [f"links:{min(len(found), 3)}"] if found else []
    for link in found:
        host = host_of(link)
        labels = host.split(".")
        tokens += [f"host:{host}", f"domain:{'.'.join(labels[-2:])}", f"tld:{labels[-1]}"]
        parts = re.split(r"[^a-z]+", link.casefold())
        tokens += [f"urlword:{word}" for word in parts if len(word) > 2 and word not in URL_NOISE]
    return tokens


def word_tokens(found: list[str]) -> list[str]:
    """Words and word pairs. Function words count only in pairs ("check out", "to my"): alone
    they mostly say a comment is long, which YouTube spam is and a thoughtful reply also is."""
    shaped = [f"digits:{min(len(w), 8)}" if w.isdigit() and len(w) > 2 else w for w in found]
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(shaped)]
    return [w for w in shaped if w not in STOP_WORDS] + pairs


def shape_tokens(text: str) -> list[str]:
    # Counted by str's own methods, not a Python loop over each character: a third of the spam
    # model's time went on this loop.
    tokens = []
    letters = "".join(filter(str.isalpha, text))
    if len(letters) >= 12:
        upper = sum(map(str.isupper, letters)) / len(letters)
        tokens.append("caps:most" if upper > 0.6 else "caps:some" if upper > 0.3 else "caps:few")
    emoji = _symbols(text)
    if emoji:
        tokens.append(f"emoji:{min(emoji, 3)}")
    if "!!!" in text:
        tokens.append("shape:!!!")
    if re.search(r"[$£€]\s?\d|\d\s?[$£€]", text):
        tokens.append("shape:money")
    if re.search(r"[-=]{3,}>|>>>", text):
        tokens.append("shape:arrow")
    if re.search(r"(\w)\1{3,}", text):
        tokens.append("shape:stretched")
    return tokens


def _symbols(text: str) -> int:
    """How many characters of ``text`` are emoji and other symbols (``^`` and a backtick, in
    ASCII)."""
    if text.isascii():
        return sum(text.count(ch) for ch in ASCII_SYMBOLS)
    return sum(unicodedata.category(ch) in EMOJI_CATEGORIES for ch in text)


def tokenize(text: str) -> list[str]:
    """The distinct tokens of a comment body, in order of first appearance."""
    return tokenize_plain(normalise(text))


def tokenize_plain(text: str) -> list[str]:
    """``tokenize`` for text that has been through ``normalise`` already."""
    found = links(text)
    said = words(text)
    tokens = word_tokens(said) + link_tokens(found) + shape_tokens(text)
    if found and len(said) <= BARE_LINK_WORDS:
        tokens.append("links:bare")
    hidden = [f"{name}.{tld}" for name, tld in HIDDEN_LINK.findall(text)]
    if hidden:
        tokens += ["links:hidden", *link_tokens(hidden)[1:]]
    return list(dict.fromkeys(tokens))
