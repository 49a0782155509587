"""What moderation reads about every new comment stays an index lookup as the table grows."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import CommentFactory
from masthead.moderation import pipeline
from masthead.moderation.commenters import Commenter, History, commenter_history
from masthead.people.tests.factories import UserFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # a test table is tiny: make the planner show intent
            cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


def test_a_guests_history_counts_by_address_and_status():
    CommentFactory(email="ada@example.org")
    CommentFactory(email="ada@example.org", spam=True)
    CommentFactory(email="bob@example.org")
    assert commenter_history(Commenter(None, "ada@example.org")) == History(approved=1, spam=1)


def test_a_guests_history_is_read_through_an_index():
    plan = _plan(Commenter(None, "ada@example.org").comments())
    assert "comment_email_status_idx" in plan


def test_recent_comments_elsewhere_are_read_through_an_index(django_assert_num_queries):
    now = timezone.now()
    old = CommentFactory(body="An old point.")
    old.created_at = now - datetime.timedelta(days=60)
    old.save()
    fresh = CommentFactory(body="A fresh point.")
    with django_assert_num_queries(1):
        assert pipeline.recent_bodies(post_id=0, now=now) == [fresh.body]
    sql, params = pipeline.recent_bodies_sql(post_id=fresh.post_id, now=now)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    if connection.vendor == "sqlite":
        # The bound comes from the index alone, and the window is read in its order (no sort).
        assert "COVERING INDEX comment_created_post_idx" in plan
        assert "TEMP B-TREE" not in plan
    assert "comment_created_post_idx" in plan


def _comments_read_for_recent_bodies(post_id, now) -> int:
    """The work of the window's query: the rows its scans went through on PostgreSQL, virtual
    machine steps on SQLite."""
    sql, params = pipeline.recent_bodies_sql(post_id=post_id, now=now)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A test table is tiny: sorting what it holds would be the cheapest plan.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            plans, read = [cursor.fetchone()[0][0]["Plan"]], 0
            while plans:
                plan = plans.pop()
                plans += [
                    p for p in plan.get("Plans", []) if p["Parent Relationship"] != "InitPlan"
                ]
                if "Relation Name" in plan:
                    read += plan["Actual Rows"] + plan.get("Rows Removed by Filter", 0)
            return read
        steps = []
        cursor.connection.set_progress_handler(lambda: steps.append(1), 1)
        try:
            cursor.execute(sql, params)
            cursor.fetchall()
        finally:
            cursor.connection.set_progress_handler(None, 1)
        return len(steps)


def test_a_busy_post_filling_the_window_does_not_make_the_whole_week_be_read(monkeypatch):
    # A story everyone comments on takes the site's latest comments: the window then ends at
    # its comments, and the week of comments before them must not be read one by one.
    monkeypatch.setattr(pipeline, "RECENT_WINDOW", 5)
    now = timezone.now()
    quiet, busy = PostFactory(), PostFactory()

    def comment(post, minutes):
        CommentFactory(post=post, created_at=now - datetime.timedelta(minutes=minutes))

    for minutes in range(1, 6):
        comment(busy, minutes)
    for minutes in range(60, 70):
        comment(quiet, minutes)
    read = _comments_read_for_recent_bodies(busy.pk, now)
    for minutes in range(100, 300):
        comment(quiet, minutes)
    assert pipeline.recent_bodies(post_id=busy.pk, now=now) == []
    assert _comments_read_for_recent_bodies(busy.pk, now) == read


def test_comments_elsewhere_are_looked_for_among_the_sites_latest_only(monkeypatch):
    now = timezone.now()
    quiet, busy = PostFactory(), PostFactory()
    for minutes, post, body in [
        (30, quiet, "Elsewhere, before the rush."),
        (20, busy, "The rush begins."),
        (15, quiet, "Elsewhere, during the rush."),
        (10, busy, "The rush goes on."),
        (5, busy, "The rush is still on."),
    ]:
        comment = CommentFactory(post=post, body=body)
        comment.created_at = now - datetime.timedelta(minutes=minutes)
        comment.save()
    everything = ["Elsewhere, during the rush.", "Elsewhere, before the rush."]
    assert pipeline.recent_bodies(post_id=busy.pk, now=now) == everything
    monkeypatch.setattr(pipeline, "RECENT_WINDOW", 4)  # the four latest: one of them elsewhere
    assert pipeline.recent_bodies(post_id=busy.pk, now=now) == everything[:1]
    assert pipeline.recent_bodies(post_id=quiet.pk, now=now) == [
        "The rush is still on.",
        "The rush goes on.",
        "The rush begins.",
    ]


def test_a_commenters_where_clause_picks_the_comments_their_queryset_does():
    user = UserFactory()
    CommentFactory(user=user, email="ada@example.org")
    CommentFactory(email="ada@example.org")
    CommentFactory(email="ada@example.org")
    CommentFactory(email="bob@example.org")
    for commenter in (Commenter(user.pk, ""), Commenter(None, "ada@example.org")):
        where, params = commenter.comments_where()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {Comment._meta.db_table} WHERE {where}", params)  # noqa: S608
            found = {pk for (pk,) in cursor.fetchall()}
        assert found == set(commenter.comments().values_list("pk", flat=True))
        assert found
    assert Commenter(None, "").comments_where() is None
