"""The shipped spam model with this site's own moderation decisions counted on top."""

from collections.abc import Iterable

from masthead.core.database import read_together
from masthead.moderation.models import LearnedToken, LearnedTotals
from masthead.moderation.spam.model import SpamModel, shipped

SITE_WEIGHT = 1.0


class SiteModel:
    """Reads the site's counts from the database at each score, so every process agrees."""

    def __init__(self, base: SpamModel, *, learned: tuple[int, int] | None = None):
        """``learned``: the site's totals if already read (``learned_totals_read``)."""
        self.base = base
        if learned is None:
            (rows,) = read_together([learned_totals_read()])
            learned = learned_totals_found(rows)
        self.learned = tuple(learned)

    def totals(self) -> tuple[float, float]:
        spam, ham = self.base.totals()
        return spam + SITE_WEIGHT * self.learned[0], ham + SITE_WEIGHT * self.learned[1]

    def counts(self, tokens: Iterable[str]) -> dict[str, tuple[float, float]]:
        tokens = list(tokens)
        found = self.base.counts(tokens)
        if self.learned == (0, 0):
            return found
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


def site_model(*, learned: tuple[int, int] | None = None) -> SiteModel:
    return SiteModel(shipped(), learned=learned)
