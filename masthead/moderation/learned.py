"""The shipped spam model with this site's own moderation decisions counted on top."""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection

from masthead.core.database import read_together
from masthead.moderation.models import LearnedToken, LearnedTotals
from masthead.moderation.spam.model import SpamModel, shipped

SITE_WEIGHT = 1.0


@dataclass(frozen=True)
class TokenCounts:
    """The site's counts of the tokens ``asked`` (``learned_tokens_read``): those it has."""

    asked: frozenset[str] = frozenset()
    found: dict[str, tuple[int, int]] = field(default_factory=dict)


class SiteModel:
    """Reads the site's counts from the database at each score, so every process agrees."""

    def __init__(
        self,
        base: SpamModel,
        *,
        learned: tuple[int, int] | None = None,
        tokens: TokenCounts | None = None,
    ):
        """``learned``: the site's totals if already read (``learned_totals_read``);
        ``tokens``: the counts of the comment's tokens, likewise (``learned_tokens_read``)."""
        self.base = base
        if learned is None:
            (rows,) = read_together([learned_totals_read()])
            learned = learned_totals_found(rows)
        self.learned = tuple(learned)
        self.tokens = tokens or TokenCounts()

    def totals(self) -> tuple[float, float]:
        spam, ham = self.base.totals()
        return spam + SITE_WEIGHT * self.learned[0], ham + SITE_WEIGHT * self.learned[1]

    def counts(self, tokens: Iterable[str]) -> dict[str, tuple[float, float]]:
        tokens = list(tokens)
        found = self.base.counts(tokens)
        if self.learned == (0, 0):
            return found
        known = self.tokens
        if known.asked.issuperset(tokens):
            rows = [(token, *known.found[token]) for token in tokens if token in known.found]
        else:
            rows = LearnedToken.objects.filter(token__in=tokens).values_list(
                "token", "spam_count", "ham_count"
            )
        for token, spam, ham in rows:
            base_spam, base_ham = found.get(token, (0.0, 0.0))
            found[token] = (base_spam + SITE_WEIGHT * spam, base_ham + SITE_WEIGHT * ham)
        return found


def learned_totals_read() -> tuple[str, list]:
    """The site's learned totals, as SQL: read at every comment posted, so written here."""
    return (
        f"SELECT spam_count, ham_count FROM {LearnedTotals._meta.db_table} WHERE id = 1",  # noqa: S608
        [],
    )


def learned_totals_found(rows: list[tuple]) -> tuple[int, int]:
    return tuple(rows[0]) if rows else (0, 0)


def learned_tokens_read(tokens: list[str]) -> tuple[str, list]:
    """The site's counts of ``tokens``, as SQL, one parameter however many there are: read
    with the pipeline's other reads. Once the site had learned anything, the query of their own
    cost each comment POST on PostgreSQL 6% of its processor time (4.65 ms against 4.38 ms,
    in all processes; 413 against 437 a second, two app processes behind nginx)."""
    table = LearnedToken._meta.db_table
    if connection.vendor == "postgresql":
        within, value = "= ANY(%s)", list(tokens)
    else:
        within, value = "IN (SELECT value FROM json_each(%s))", json.dumps(tokens)
    return f"SELECT token, spam_count, ham_count FROM {table} WHERE token {within}", [value]  # noqa: S608


def learned_tokens_found(tokens: list[str], rows: list[tuple]) -> TokenCounts:
    return TokenCounts(frozenset(tokens), {token: (spam, ham) for token, spam, ham in rows})


def site_model(
    *, learned: tuple[int, int] | None = None, tokens: TokenCounts | None = None
) -> SiteModel:
    return SiteModel(shipped(), learned=learned, tokens=tokens)
