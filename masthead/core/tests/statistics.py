"""The query planner's statistics in tests: what it has been told, and keeping one test's from
the next."""

import pytest
from django.db import connection

# For tests of what runs ANALYZE (masthead analyze, generate, import). PostgreSQL writes a
# table's size in place, outside the transaction a test is rolled back in, and the tests after
# it would plan their queries for tables the size of that test's. In a transaction of its own,
# the flush after the test empties the tables with TRUNCATE, which forgets their sizes.
analyses = pytest.mark.django_db(transaction=True)


def planned_rows(table: str) -> int:
    """How many rows the planner was last told ``table`` holds."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # One line per index of the table, each starting with the table's rows.
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [table])
            return int(cursor.fetchone()[0].split()[0])
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return int(cursor.fetchone()[0])
