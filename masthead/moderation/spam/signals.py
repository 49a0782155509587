"""Evidence the training corpora cannot teach, set by hand.

The corpora are YouTube comments and text messages: they have no post text to be relevant to,
no website field, names too few and too personal to learn word by word (the model learns only
whether a comment names its own commenter), and too few repeats to set how much a near-copy of
a recent comment weighs. Those signals are therefore fixed clues with a probability chosen
here. Each returns the clues it found as ``(probability, reason)``; the scorer adds stock
phrases and paid links to the learned verdict by their odds, and lets the others vote with
the learned word clues.
"""

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from masthead.moderation.spam.tokens import STOP_WORDS, wordlist, words

Clue = tuple[float, str]

# What self-promotion points readers to.
WORKS = (
    r"(?:channel|site|website|blog|page|profile|videos?|vids?|songs?|tracks?|music|single|album"
    r"|mixtape|cover|remix|book|app|game)s?\b"
)
PLATFORMS = (
    r"(?:twitter|x|instagram|insta|ig|facebook|fb|tiktok|youtube|snapchat|snap|soundcloud|twitch"
    r"|spotify|tumblr|pinterest|linkedin)"
)
# Stock phrases of comment spam: generic praise that fits any page, and self-promotion.
STOCK_PHRASES = {
    "says it has been here before": (
        r"(?:been|visited|seen|read)(?: to| on)? this (?:page|site|blog|website) before"
    ),
    "bookmarking": r"\bbookmark(?:ed|ing)? (?:it|this|your)|\bbookmarking\b",
    "adding it to favourites": r"add(?:ed|ing)? (?:it|this|you|your \w+) to my (?:favou?rites|bookmarks)",  # noqa: E501
    "checking back regularly": (
        r"(?:check(?:ing)?|com(?:e|ing)) back (?:\w+ ){0,4}"
        r"(?:regularly|frequently|often|soon|later)"
    ),
    "glad to have found it": (
        r"(?:happy|glad|pleased|delighted) (?:that )?i (?:came across|found|stumbled|discovered)"
    ),
    "generic praise for the post": (
        r"(?:great|nice|good|awesome|excellent|informative|wonderful|useful|fantastic) "
        r"(?:post|article|blog|site|website|write-?up|content|information|info)\b"
    ),
    "thanks for sharing": r"thanks? (?:you )?for (?:sharing|posting|this (?:post|article|info))",
    "keep up the good work": r"keep up the (?:good|great|fantastic|excellent) (?:work|job)",
    "check out my": rf"check (?:out )?(?:my|our) (?:\w+ )?{WORKS}",
    "subscribe to my channel": r"subscribe (?:to )?(?:my|our) (?:\w+ )?channel",
    "points to their own work": (
        rf"(?:visit|see|watch|listen to|hear|share|look at)s? (?:my|our) (?:\w+ )?{WORKS}"
    ),
    # Not "site", "page" or "game": "my new site manager" is a reader's news.
    "announces new work": (
        r"\b(?:my|our) (?:new|latest) (?:channel|blog|videos?|vids?|songs?|tracks?|music|single"
        r"|album|mixtape|cover|remix|book)s?\b"
    ),
    "asks to be followed": (
        rf"\b(?:subscribe|sub)s? (?:to |for )?me\b|\b(?:follow|add) me (?:on {PLATFORMS}|back)\b"
        r"|\b(?:sub|follow|like)s? (?:4|for) (?:sub|follow|like)s?\b"
        r"|\bplease (?:sub|subscribe|follow me)\b"
        # A bare "subscribe" as a request, not "subscribe to the paper".
        r"|^(?:come )?subscribe\b(?! to (?:the|this|a|an)\b)|\b(?:like|watch|comment|share) and "
        r"subscribe\b|\bsubscribe (?:please|pls|plz)\b|\bsubscribers please\b"
    ),
    # Sharing this comment, video or page; not "please share the minutes" or "your thoughts".
    "asks to be shared": (
        r"(?:^|\b(?:please|pls|plz)(?: \w+){0,2} )share\b(?! (?:the|your|a|an|any|some)\b)"
    ),
    "counts its followers": (
        r"\bif (?:i|this|we) (?:reach|get|hit)s? \d+ (?:subscribers|followers|likes|subs)\b"
    ),
    # Asking for likes, not saying one likes it ("I really like this comment"); the lookahead
    # spares the lookbehinds at every other word.
    "asks for likes": (
        r"\b(?=like|thumbs|upvote)(?<!\bi )(?<!\bwe )(?<!\bthey )(?<!\breally )(?<!\balso )"
        r"(?:like|thumbs up|upvote)s? (?:this|my) comment\b"
    ),
    "make money from home": r"(?:make|earn) (?:\w+ )?(?:money|cash|\$\d+)\b.{0,40}(?:online|home)",
    # Not "make money" or "free money" alone: whether the port will make money, and whether a
    # grant is free money, are a reader's questions.
    "easy money": (
        r"\bfree gift ?cards?\b"
        r"|\b(?:earn|make|making|earning)s? (?:real|extra|easy|quick|free) (?:money|cash)\b"
    ),
}
PHRASES = {reason: re.compile(pattern) for reason, pattern in STOCK_PHRASES.items()}
# Most comments have none of them: one search of them all says so (18 searches took a fifth of
# the spam model's time).
ANY_PHRASE = re.compile("|".join(f"(?:{pattern})" for pattern in STOCK_PHRASES.values()))
# Words in a commenter's name, e-mail or website that real readers rarely use.
NAME_KEYWORDS = wordlist(
    "cheap cheapest hosting deals deal discount discounts casino casinos poker betting loan "
    "loans payday credit mortgage insurance seo backlinks backlink marketing viagra cialis pills "
    "pharmacy replica outlet wholesale forex crypto bitcoin essay essays dating escort escorts "
    "followers offers offer coupon coupons promo buy sale sales shop store agency traffic "
    "ranking"
)
# A link carrying the commenter's referral or affiliate code.
REFERRAL = re.compile(r"[?&](?:ref|refid|referral|referrer|aff|aff_id|affiliate|invite)=", re.I)
# Link shorteners: the reader cannot see where the link goes.
SHORTENED = re.compile(
    r"(?<![\w.-])(?:www\.)?(?:bit\.ly|bitly\.com|goo\.gl|tinyurl\.com|adf\.ly|ow\.ly|is\.gd"
    r"|shorte\.st|tiny\.cc|cutt\.ly|j\.mp|linkbucks\.com|adfoc\.us|sh\.st)/",
    re.IGNORECASE,
)
# Words any comment may share with any post, whatever it is about.
MEDIUM_WORDS = wordlist(
    "post posts article articles read reading reader readers page pages site blog comment "
    "comments writing written write thanks thank great good"
)
STEM = 5
ON_TOPIC_CLUES = 5
# Fewer word triples than this and a comment is too short to call a copy.
NEAR_DUPLICATE_SHINGLES = 5


def stock_phrases(text: str) -> list[Clue]:
    flat = " ".join(words(text))
    if not ANY_PHRASE.search(flat):
        return []
    return [(0.98, f"stock phrase: {reason}") for reason, rx in PHRASES.items() if rx.search(flat)]


def paid_links(text: str) -> list[Clue]:
    """Links in normalised ``text`` that pay the commenter for a click (a referral code) or
    hide where they go. Neither shape turns up outside a link, so the text is searched whole."""
    clues = []
    if REFERRAL.search(text):
        clues.append((0.98, "referral link"))
    if SHORTENED.search(text):
        clues.append((0.98, "shortened link"))
    return clues


def identity_keywords(*, name: str, email: str, url: str) -> list[Clue]:
    """Spam words in the name, the e-mail's local part or the website's address."""
    local = email.partition("@")[0]
    found = {
        word for field in (name, local, url) for word in re.split(r"[^a-z]+", field.casefold())
    }
    return [(0.97, f"name or website says {word!r}") for word in sorted(found & NAME_KEYWORDS)][:3]


@lru_cache(maxsize=256)
def content_stems(text: str) -> frozenset[str]:
    return frozenset(
        w[:STEM]
        for w in words(text)
        if len(w) > 2 and w not in STOP_WORDS and w not in MEDIUM_WORDS and not w.isdigit()
    )


def relevance(body: str, post_text: str) -> list[Clue]:
    """Each word shared with the post is a little evidence the commenter read it (up to
    ``ON_TOPIC_CLUES`` of them); a comment of some length sharing none is suspect."""
    if not post_text.strip():
        return []
    mine = content_stems(body)
    if len(mine) < 4:
        return []
    shared = len(mine & content_stems(post_text))
    if shared:
        return [(0.1, "on the post's subject")] * min(shared, ON_TOPIC_CLUES)
    if len(mine) >= 8:
        return [(0.9, "nothing in common with the post")]
    return []


# Large enough for every comment in the training files, which training compares with each other.
@lru_cache(maxsize=4096)
def shingles(text: str, size: int = 3) -> frozenset[tuple[str, ...]]:
    found = words(text)
    return frozenset(tuple(found[i : i + size]) for i in range(len(found) - size + 1))


def compares_with_recent(body: str) -> bool:
    """Whether ``body`` is long enough for ``near_duplicate`` to look for it elsewhere."""
    return len(shingles(body)) >= NEAR_DUPLICATE_SHINGLES


def near_duplicate(
    body: str, recent: Iterable[str] | Callable[[], Iterable[str]], *, alike: float = 0.6
) -> list[Clue]:
    """A comment that repeats a recent one elsewhere, give or take a few words."""
    if not compares_with_recent(body):
        return []
    mine = shingles(body)
    others = recent() if callable(recent) else recent
    best = 0.0
    for other in others:
        theirs = shingles(other)
        if theirs:
            best = max(best, len(mine & theirs) / len(mine | theirs))
    if best >= alike:
        return [(0.97, f"near-duplicate of a recent comment ({best:.0%} alike)")]
    return []
