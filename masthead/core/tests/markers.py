"""Markers shared by the tests of several apps."""

import pytest

# For tests of what runs ANALYZE (masthead analyze, generate, import). PostgreSQL writes a
# table's size in place, outside the transaction a test is rolled back in, and the tests after
# it would plan their queries for tables the size of that test's. In a transaction of its own,
# the flush after the test empties the tables with TRUNCATE, which forgets their sizes.
analyses = pytest.mark.django_db(transaction=True)
