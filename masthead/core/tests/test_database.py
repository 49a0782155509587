import pytest
from django.core.management import call_command
from django.db import connection

from masthead.publishing import selectors
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " ".join(str(row) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps its own statistics")
def test_with_statistics_the_front_page_reads_the_date_index_in_order():
    PostFactory.create_batch(30, published=True)
    front_page = selectors.post_list_published()[:20]
    assert "TEMP B-TREE FOR ORDER BY" in _plan(front_page)  # guessing: every post sorted
    call_command("analyze", verbosity=0)
    plan = _plan(front_page)
    assert "published_at" in plan and "TEMP B-TREE" not in plan


def test_the_command_says_what_it_did(capsys):
    call_command("analyze")
    said = capsys.readouterr().out
    if connection.vendor == "sqlite":
        assert "statistics are up to date" in said
    else:
        assert "PostgreSQL keeps its own statistics" in said
