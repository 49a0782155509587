"""Recovering replies in flat threads from an opening "@Name:" or "@Name,".

Imported threads, and readers who type instead of pressing Reply, answer each other by name. A
comment with no parent whose body starts that way is linked to the latest earlier approved
comment on the same post by the commenter so named. Names match ignoring case and spacing; a
name of six or more letters also matches with up to two typing slips (edit distance 2), so
"@C. Calvin," finds C. Clavin. When the best match is shared by two different commenters, or
nothing matches, the mention stays unlinked. This module is pure: no database.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MENTION = re.compile(r"^\s*@(?P<name>[^\s:,@][^:,\n@]{0,79}?)\s*[:,]")
TYPO_MIN_LETTERS = 6
TYPO_DISTANCE = 2


@dataclass(frozen=True)
class Candidate:
    """What the resolver needs to know of one comment."""

    pk: int
    post_id: int
    number: int
    name: str
    commenter: str
    is_approved: bool
    has_parent: bool = False
    body: str = ""


@dataclass(frozen=True)
class Match:
    pk: int
    number: int
    confidence: float


def mention_name(body: str) -> str | None:
    found = MENTION.match(body or "")
    return found["name"].strip() if found else None


def normalise(name: str) -> str:
    return " ".join(name.casefold().split())


def commenter_key(*, user_id: int | None, email: str, name: str) -> str:
    if user_id:
        return f"user:{user_id}"
    if email:
        return f"email:{email.strip().lower()}"
    return f"name:{normalise(name)}"


def edit_distance(a: str, b: str, *, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` as soon as it is sure to exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def mention_target(source: Candidate, earlier: Iterable[Candidate]) -> Match | None:
    """The comment ``source``'s opening mention answers, or None if unmatched or ambiguous."""
    name = mention_name(source.body)
    if source.has_parent or name is None:
        return None
    wanted = normalise(name)
    limit = TYPO_DISTANCE if sum(c.isalpha() for c in wanted) >= TYPO_MIN_LETTERS else 0
    distance_by_commenter: dict[str, int] = {}
    latest_by_commenter: dict[str, Candidate] = {}
    for candidate in earlier:
        if not _may_answer(source, candidate):
            continue
        key = candidate.commenter
        if key not in latest_by_commenter or candidate.number > latest_by_commenter[key].number:
            latest_by_commenter[key] = candidate
        distance = edit_distance(wanted, normalise(candidate.name), limit=limit)
        if distance <= limit:
            distance_by_commenter[key] = min(distance, distance_by_commenter.get(key, distance))
    if not distance_by_commenter:
        return None
    best = min(distance_by_commenter.values())
    winners = [key for key, distance in distance_by_commenter.items() if distance == best]
    if len(winners) > 1:
        return None
    target = latest_by_commenter[winners[0]]
    confidence = 1.0 if best == 0 else round(1 - best / max(len(wanted), 1), 2)
    return Match(pk=target.pk, number=target.number, confidence=confidence)


def _may_answer(source: Candidate, candidate: Candidate) -> bool:
    return (
        candidate.is_approved
        and candidate.post_id == source.post_id
        and candidate.number < source.number
        and candidate.pk != source.pk
    )


def resolve_mentions(comments: Sequence[Candidate]) -> dict[int, Match | None]:
    """Every comment's mention target, for comments of any number of posts."""
    by_post: dict[int, list[Candidate]] = {}
    for comment in comments:
        by_post.setdefault(comment.post_id, []).append(comment)
    found: dict[int, Match | None] = {}
    for thread in by_post.values():
        for comment in thread:
            found[comment.pk] = mention_target(comment, thread)
    return found
