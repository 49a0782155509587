import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import signals
from django.utils import timezone

from masthead.core import database
from masthead.core.tests.statistics import analyses, planned_rows
from masthead.discussion.generate import comments_generate
from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.tests.factories import CommentFactory
from masthead.moderation import pipeline
from masthead.moderation.models import AuditAction, AuditEntry
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


@analyses
def test_the_command_says_what_it_did(capsys):
    call_command("analyze")
    assert "Refreshed the query planner's statistics of" in capsys.readouterr().out


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's statistics are refreshed whole"
)


def _force_statistics_flush() -> None:
    """PostgreSQL counts a transaction's changes for autovacuum once it ends, and sends the
    counts on at most once a second: this commit's go at once."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")


def _window_plan() -> str:
    sql, params = pipeline.recent_bodies_sql(post_id=0, now=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return " ".join(row[0] for row in cursor.fetchall())


@postgres_only
@analyses
def test_tables_filled_without_autovacuum_are_analysed_as_serve_starts():
    post = PostFactory(published=True)
    with transaction.atomic():
        _force_statistics_flush()
        comments_generate(post_ids=[post.pk], count=1500)
    # Never analysed (or analysed when it was small), the table looks a fraction of its size,
    # and the window was sorted whole.
    assert "discussion_comment" in _tables_behind()
    call_command("analyze", "--only-behind", verbosity=0)
    assert "discussion_comment" not in _tables_behind()
    plan = _window_plan()
    assert "Seq Scan" not in plan and "Sort" not in plan
    assert "Index Scan Backward using comment_created_post_idx" in plan


@postgres_only
@analyses
def test_only_tables_behind_are_analysed_again():
    _force_statistics_flush()  # what earlier tests changed is counted before, not after
    database.statistics_refresh()
    assert database.statistics_refresh(only_behind=True) == 0
    post = PostFactory(published=True)
    with transaction.atomic():
        _force_statistics_flush()
        comments_generate(post_ids=[post.pk], count=60)
    assert "discussion_comment" in _tables_behind()
    assert database.statistics_refresh(only_behind=True) >= 1
    assert _tables_behind() == []


@postgres_only
@analyses
def test_a_table_filled_since_the_planner_saw_it_empty_is_analysed_whatever_the_counts_say():
    """As in a database copied from a template: too few changes counted to call the comments
    table behind, while the planner still takes it for empty."""
    database.statistics_refresh()
    post = PostFactory(published=True)
    CommentFactory.create_batch(10, post=post)
    _force_statistics_flush()
    assert planned_rows("discussion_comment") == 0
    call_command("analyze", "--only-behind", verbosity=0)
    assert planned_rows("discussion_comment") == 10
    assert "discussion_comment" not in _tables_behind()


def _tables_behind() -> list[str]:
    """What autovacuum would analyse now: the same test as ``statistics_refresh``'s."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid"
            " WHERE s.schemaname = current_schema() AND (c.reltuples < 0"
            " OR s.n_mod_since_analyze > 50 + 0.1 * c.reltuples"
            " OR (c.relpages = 0 AND pg_relation_size(c.oid) > 0))"
        )
        return [name for (name,) in cursor.fetchall()]


def _stored(comment) -> dict:
    row = Comment.objects.filter(pk=comment.pk).values().get()
    return {k: v for k, v in row.items() if k not in {"id", "number", "updated_at"}}


WRITTEN = timezone.now() - datetime.timedelta(minutes=3)


def _comment(post, number: int, **fields) -> Comment:
    values = {
        "name": "Argon",
        "email": "argon@example.org",
        "url": "https://example.org/",
        "body": "A point about the *harbour*.",
        "body_html": "<p>A point about the <em>harbour</em>.</p>",
        "status": CommentStatus.PENDING,
        "status_reason": "first comment from this commenter",
        "spam_score": 0.125,
        "wants_replies": True,
        "ip_address": "2001:db8::1",
        "user_agent": "Mozilla/5.0",
        "created_at": WRITTEN,
    }
    return Comment(post=post, number=number, **(values | fields))


def test_insert_stores_the_row_save_would_store():
    post = PostFactory(published=True)
    parent = CommentFactory(post=post)
    by_save, by_insert = _comment(post, 101, parent=parent), _comment(post, 102, parent=parent)
    by_save.save()
    before = timezone.now()
    database.insert(by_insert)
    assert by_insert.pk is not None and by_insert.pk != by_save.pk
    assert _stored(by_insert) == _stored(by_save)
    assert Comment.objects.get(pk=by_insert.pk).updated_at >= before  # auto_now, as save sets it


def test_insert_sends_the_signals_save_sends_and_leaves_the_instance_saved():
    post = PostFactory(published=True)
    comment, heard = _comment(post, 7), []

    def listen(signal, instance, **kwargs):
        heard.append((signal, instance.pk, kwargs.get("created")))

    for signal in (signals.pre_save, signals.post_save):
        signal.connect(listen, sender=Comment)
    try:
        database.insert(comment)
    finally:
        for signal in (signals.pre_save, signals.post_save):
            signal.disconnect(listen, sender=Comment)
    assert heard == [(signals.pre_save, None, None), (signals.post_save, comment.pk, True)]
    comment.body = "Changed."
    comment.save()  # an UPDATE of the same row, not a second one
    assert Comment.objects.filter(post=post, number=7).get().body == "Changed."


def test_insert_refuses_an_unsaved_related_row_as_save_does():
    post = PostFactory(published=True)
    comment = _comment(post, 3, parent=Comment(post=post, number=2, name="Unsaved"))
    with pytest.raises(ValueError, match="unsaved related object"):
        database.insert(comment)
    assert not Comment.objects.filter(post=post, number=3).exists()


NUMBER_AFTER = "(SELECT COALESCE(MAX(number), 0) + 10 FROM discussion_comment WHERE post_id = %s)"


def test_insert_where_takes_a_value_from_sql_and_stores_the_rest_as_insert_does():
    post = PostFactory(published=True)
    CommentFactory(post=post, number=5)
    comment, twin = _comment(post, None), _comment(post, 104)
    database.insert(twin)
    stored = database.insert_where(
        comment,
        computed={"number": (NUMBER_AFTER, [post.pk])},
        condition=("NOT EXISTS (SELECT 1 FROM discussion_comment WHERE body = %s)", ["Absent."]),
    )
    assert stored and comment.number == 114  # read back from the statement
    assert Comment.objects.get(pk=comment.pk).number == 114
    assert _stored(comment) == _stored(twin)


def _entry(comment) -> AuditEntry:
    return AuditEntry(
        actor_name="pipeline",
        action=AuditAction.PIPELINE,
        phase="policy",
        comment=comment,
        status_after=comment.status,
        reason="first comment from this commenter",
    )


def test_insert_where_writes_and_tells_nothing_when_its_condition_fails():
    post = PostFactory(published=True)
    CommentFactory(post=post, number=1, body="Already here.")
    comment, heard = _comment(post, None), []
    entry = _entry(comment)  # a row along with it is not written either

    def listen(signal, instance, **kwargs):
        heard.append(signal)

    signals.post_save.connect(listen, sender=Comment)
    try:
        stored = database.insert_where(
            comment,
            computed={"number": (NUMBER_AFTER, [post.pk])},
            condition=(
                "NOT EXISTS (SELECT 1 FROM discussion_comment WHERE body = %s)",
                ["Already here."],
            ),
            along=[entry],
        )
    finally:
        signals.post_save.disconnect(listen, sender=Comment)
    assert stored is False and comment.pk is None and heard == []
    assert entry.pk is None and not AuditEntry.objects.exists()
    assert Comment.objects.filter(post=post).count() == 1


def test_insert_where_writes_nothing_that_a_unique_constraint_would_refuse():
    post = PostFactory(published=True)
    CommentFactory(post=post, number=1)
    taken, free = _comment(post, 1), _comment(post, 2)
    assert database.insert_where(taken, unless_taken=("post", "number")) is False
    assert taken.pk is None
    assert database.insert_where(free, unless_taken=("post", "number")) is True
    assert list(Comment.objects.filter(post=post).values_list("number", flat=True)) == [1, 2]


def test_rows_along_are_written_with_the_row_in_its_statement_on_postgresql(
    django_assert_num_queries,
):
    post = PostFactory(published=True)
    comment = _comment(post, None)
    entry, heard = _entry(comment), []

    def listen(signal, sender, instance, **kwargs):
        heard.append((signal, sender, instance.pk))

    for signal in (signals.pre_save, signals.post_save):
        signal.connect(listen, sender=AuditEntry)
    try:
        with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
            stored = database.insert_where(
                comment, computed={"number": (NUMBER_AFTER, [post.pk])}, along=[entry]
            )
    finally:
        for signal in (signals.pre_save, signals.post_save):
            signal.disconnect(listen, sender=AuditEntry)
    assert stored and comment.number == 10
    assert entry.pk is not None and entry.comment_id == comment.pk
    assert AuditEntry.objects.get(pk=entry.pk).comment_id == comment.pk
    assert heard == [
        (signals.pre_save, AuditEntry, None),
        (signals.post_save, AuditEntry, entry.pk),
    ]


def test_a_row_keyed_in_python_is_saved_by_save():
    session = Session(
        session_key="k" * 32, session_data="", expire_date=timezone.now() + datetime.timedelta(1)
    )
    database.insert(session)
    assert Session.objects.filter(session_key="k" * 32).exists()


def test_reads_together_give_each_reads_rows_in_order(django_assert_num_queries):
    post = PostFactory()
    for body in ("First.", "Second.", "Third."):
        CommentFactory(post=post, body=body)
    table = Comment._meta.db_table
    reads = [
        (f"SELECT number, body FROM {table} WHERE post_id = %s ORDER BY number DESC", [post.pk]),  # noqa: S608
        (f"SELECT COUNT(*) AS n FROM {table} WHERE body = %s", ["Second."]),  # noqa: S608
        (f"SELECT body FROM {table} WHERE post_id = %s", [0]),  # noqa: S608
    ]
    # One statement on PostgreSQL, where each is a round trip; in turn on SQLite.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else len(reads)):
        found = database.read_together(reads)
    assert found == [[(3, "Third."), (2, "Second."), (1, "First.")], [(1,)], []]


def test_no_reads_read_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert database.read_together([]) == []
