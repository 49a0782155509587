"""Keeping the database's query planner informed."""

from django.db import connection

# Rows SQLite reads per index to estimate it: enough to tell a status column with three values
# from an author column with hundreds, and quick on any size of database.
SQLITE_ANALYSIS_LIMIT = 1000


def statistics_refresh() -> bool:
    """Tell the query planner how big the tables are and how their indexes spread.

    SQLite has no statistics until asked, and without them it guesses: it counted an author's
    posts through the status index and sorted every published post for the front page (22 ms
    with 5,000 posts) instead of reading the date index in order (docs/benchmarks.md).
    PostgreSQL keeps its own up to date as rows change (autovacuum), so it is left alone there.
    Says whether anything was refreshed.
    """
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True
