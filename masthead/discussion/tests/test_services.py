import datetime
import threading
import time

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.core import database
from masthead.core.tests.statistics import analyses
from masthead.discussion import services
from masthead.discussion.exceptions import (
    CommentBusyError,
    CommentDuplicateError,
    CommentEmptyError,
    CommentNotEditableError,
    CommentParentInvalidError,
    CommentRejectedError,
    CommentsClosedError,
    CommentTooLongError,
)
from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.pipeline import Decision, SubmissionContext
from masthead.discussion.signals import comment_visibility_changed
from masthead.discussion.tests.factories import CommentFactory
from masthead.people.tests.factories import UserFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
seen_by_pipeline = []


def held_for_review(comment, context):
    seen_by_pipeline.append((comment, context))
    return Decision(CommentStatus.PENDING, reason="links", spam_score=0.7)


def rate_limited(comment, context):
    return Decision.reject("Slow down.", reason="rate", http_status=429)


@pytest.fixture
def post():
    return PostFactory(published=True)


def submit(post, body="The annex should be published.", **kwargs):
    kwargs.setdefault("name", "Ines Maro")
    kwargs.setdefault("email", "ines.maro@example.net")
    context = kwargs.pop("context", None) or SubmissionContext(post=post, ip_address="192.0.2.7")
    return services.comment_submit(post=post, body=body, context=context, **kwargs)


def test_a_guests_comment_is_numbered_approved_and_counted(post):
    first = submit(post)
    second = submit(post, "A second thought.", name="Argon", email="argon@example.net")
    assert (first.number, second.number) == (1, 2)
    assert first.status == CommentStatus.APPROVED
    assert first.body_html == "<p>The annex should be published.</p>\n"
    post.refresh_from_db()
    assert post.comment_count == 2


@pytest.mark.parametrize("body", ["", "   ", "\n\t \n"])
def test_an_empty_comment_is_refused_and_nothing_is_stored(post, body):
    with pytest.raises(CommentEmptyError, match=r"Your comment is empty\."):
        submit(post, body)
    assert not Comment.objects.exists()


def test_nul_characters_are_dropped_before_storing(post):
    assert submit(post, "fine\x00 words").body == "fine words"
    with pytest.raises(CommentEmptyError):
        submit(post, "\x00 ")


def test_a_comment_over_the_limit_is_told_the_limit(post, settings):
    settings.COMMENT_MAX_CHARS = 50
    with pytest.raises(CommentTooLongError) as caught:
        submit(post, "x" * 51)
    assert "the limit is 50" in caught.value.message
    assert "51" in caught.value.message
    assert submit(post, "x" * 50).number == 1


def test_the_default_limit_is_ten_thousand_characters(post):
    with pytest.raises(CommentTooLongError, match="10,000"):
        submit(post, "y" * 10_001)


def test_the_same_text_twice_within_ten_minutes_is_refused(post):
    with time_machine.travel(NOW, tick=False):
        submit(post, "Same words.")
    with time_machine.travel(NOW + datetime.timedelta(minutes=9), tick=False):
        with pytest.raises(CommentDuplicateError, match=r"You already posted this\."):
            submit(post, "  Same words.  ")
        assert submit(post, "Same words.", name="Argon", email="argon@example.net").number == 2
    with time_machine.travel(NOW + datetime.timedelta(minutes=11), tick=False):
        assert submit(post, "Same words.").number == 3


def test_the_body_is_rendered_before_the_posts_lock_is_taken(post, monkeypatch):
    happened = []
    render, lock = services.render_comment, services._lock_post
    monkeypatch.setattr(
        services, "render_comment", lambda b: happened.append("render") or render(b)
    )
    monkeypatch.setattr(
        services, "_lock_post", lambda p, **kw: happened.append("lock") or lock(p, **kw)
    )
    comment = submit(post, "Rendered *first*.")
    assert happened == ["render", "lock"]
    assert comment.body_html == "<p>Rendered <em>first</em>.</p>\n"


def test_a_duplicate_that_arrives_after_the_first_check_is_refused_under_the_lock(
    post, monkeypatch
):
    first = submit(post, "Sent twice by a double click.")
    # The second request passed its first check before the first one was stored.
    monkeypatch.setattr(services, "_check_not_duplicate", lambda duplicate: None)
    with pytest.raises(CommentDuplicateError, match=r"You already posted this\."):
        submit(post, "Sent twice by a double click.")
    assert list(Comment.objects.filter(post=post).values_list("pk", flat=True)) == [first.pk]
    assert submit(post, "Something else.").number == 2


on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's commits wait for the disk"
)


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.fixture
def stored_with(monkeypatch):
    """The synchronous_commit each comment was stored under, read in its own transaction."""
    seen = []

    def insert_where(instance, **options):
        if isinstance(instance, Comment):
            seen.append(_synchronous_commit())
        return database_insert_where(instance, **options)

    database_insert_where = database.insert_where
    monkeypatch.setattr(database, "insert_where", insert_where)
    return seen


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_new_comment_is_answered_before_postgresql_flushes_it_and_nothing_else_is(stored_with):
    post = PostFactory(published=True)
    submit(post)
    assert stored_with == ["off"]
    assert Comment.objects.filter(post=post, number=1).exists()
    # The pool hands this connection to the next request, whose writes wait for the disk.
    assert _synchronous_commit() == "on"


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_site_can_have_new_comments_wait_for_the_disk(stored_with, settings):
    settings.DB_DURABLE_COMMENTS = True
    submit(PostFactory(published=True))
    assert stored_with == ["on"]


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_held_comment_is_one_statement_with_no_transaction_and_no_lock(settings, monkeypatch):
    settings.COMMENT_PIPELINE = f"{__name__}.held_for_review"
    post = PostFactory(published=True)
    in_transaction = []

    def insert_where(instance, **options):
        in_transaction.append(connection.in_atomic_block)
        return database_insert_where(instance, **options)

    database_insert_where = database.insert_where
    monkeypatch.setattr(database, "insert_where", insert_where)
    with CaptureQueriesContext(connection) as captured:
        comment = submit(post)
    assert comment.status == CommentStatus.PENDING and comment.number == 1
    assert in_transaction == [False]
    statements = [q["sql"] for q in captured.captured_queries]
    assert not any("FOR UPDATE" in sql for sql in statements)
    (stored,) = [sql for sql in statements if "MAX(number)" in sql]
    # Answered before PostgreSQL flushes it, as a comment under the post's lock is.
    assert "set_config('synchronous_commit', 'off', true)" in stored
    assert _synchronous_commit() == "on"
    settings.DB_DURABLE_COMMENTS = True
    with CaptureQueriesContext(connection) as captured:
        submit(post, "Another thought.")
    assert not any("set_config" in q["sql"] for q in captured.captured_queries)


def _import(post, body):
    return services.comment_import(
        post=post, import_ref=f"wp:{body}", name="Argon", body=body, created_at=post.published_at
    )[0]


@on_postgres  # SQLite's writers queue for its one write lock
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("store", [submit, _import], ids=["posted", "imported"])
def test_a_number_another_comment_took_meanwhile_is_asked_for_again(settings, store):
    """A comment that takes no lock (held: ``_stands_alone``) can be numbered while another,
    not yet committed, holds the same number: the second waits for the first, then asks again,
    whether it was posted or imported (an import locks the post, which the first does not)."""
    settings.COMMENT_PIPELINE = f"{__name__}.held_for_review"
    post = PostFactory(published=True)
    submit(post, "First.")
    holding = threading.Event()

    def another_comment():
        try:
            with transaction.atomic():
                CommentFactory(post=post, number=2, body="Taken meanwhile.")
                holding.set()
                time.sleep(0.3)
        finally:
            connection.close()

    other = threading.Thread(target=another_comment)
    other.start()
    assert holding.wait(10)
    comment = store(post, "Second.")
    other.join()
    assert comment.number == 3
    numbers = Comment.objects.filter(post=post).order_by("number").values_list("number", flat=True)
    assert list(numbers) == [1, 2, 3]


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_held_comment_does_not_wait_for_the_posts_lock(settings):
    """A held comment takes no lock, but its foreign key is checked against the post row; the
    lock must leave that check alone, or the two comments could each wait for the other."""
    settings.COMMENT_PIPELINE = f"{__name__}.held_for_review"
    post = PostFactory(published=True)
    locked, stored, gave_up = threading.Event(), threading.Event(), []

    def an_approved_comment_under_the_lock():
        try:
            with transaction.atomic():
                services._lock_post(post)
                locked.set()
                gave_up.append(not stored.wait(5))
        finally:
            connection.close()

    holder = threading.Thread(target=an_approved_comment_under_the_lock)
    holder.start()
    assert locked.wait(10)
    comment = submit(post)
    stored.set()
    holder.join()
    assert gave_up == [False] and comment.number == 1


def test_a_post_taking_comments_faster_than_they_can_be_numbered_says_so(post, monkeypatch):
    monkeypatch.setattr(database, "insert_where", lambda instance, **options: False)
    with pytest.raises(CommentBusyError) as caught:
        submit(post)
    assert caught.value.http_status == 503
    assert not Comment.objects.filter(post=post).exists()


def test_under_the_lock_the_number_the_duplicate_check_and_the_row_are_one_statement(post):
    submit(post, "First.")
    with CaptureQueriesContext(connection) as captured:
        submit(post, "Second.")
    (stored,) = [q["sql"] for q in captured.captured_queries if "MAX(number)" in q["sql"]]
    assert stored.startswith('INSERT INTO "discussion_comment"')
    assert "NOT EXISTS" in stored
    # The words are asked about twice: by the first check, before the pipeline, and by this one.
    first, again = [q["sql"] for q in captured.captured_queries if "Second." in q["sql"]]
    assert first.startswith("SELECT 1") and again == stored


@analyses
def test_the_duplicate_check_reads_the_commenters_comments_on_the_post_not_the_thread(post):
    # Statistics taken while threads were short make the post look selective; the check must
    # still go by post and address, or it reads the whole thread (twice per comment posted).
    for number in range(1, 40):
        CommentFactory(post=post, number=number, email="regular@example.net")
    call_command("analyze", verbosity=0)
    comment = Comment(post=post, body="Same words.", name="Ines Maro", email="ines@example.net")
    with CaptureQueriesContext(connection) as captured:
        services._check_not_duplicate(services._duplicate_sql(comment))
    (query,) = captured.captured_queries
    with transaction.atomic(), connection.cursor() as cursor:  # for SET LOCAL
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny
            cursor.execute("EXPLAIN " + query["sql"])
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "comment_post_email_time_idx" in plan


def test_a_new_comment_naming_a_reader_with_a_typo_is_linked_to_their_latest_comment(post):
    submit(post, "Sell it.", name="Marguerite", email="marguerite@example.net")
    latest = submit(post, "Or lease it.", name="Marguerite", email="marguerite@example.net")
    reply = submit(post, "@Margerite: a lease is a sale by instalments.")
    assert (reply.mention_of_id, reply.number) == (latest.pk, 3)
    assert Comment.objects.get(pk=reply.pk).mention_of_id == latest.pk


def test_a_closed_post_refuses_with_403(post):
    post.is_comments_open = False
    post.save()
    with pytest.raises(CommentsClosedError) as caught:
        submit(post)
    assert caught.value.http_status == 403
    assert "closed" in caught.value.message


def test_posts_close_themselves_after_the_configured_days(post, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 3
    with time_machine.travel(post.published_at + datetime.timedelta(days=2, hours=23)):
        assert submit(post).number == 1
    late = post.published_at + datetime.timedelta(days=3, minutes=1)
    with time_machine.travel(late), pytest.raises(CommentsClosedError):
        submit(post, "Too late.")


def test_comments_stay_open_by_default(post):
    with time_machine.travel(post.published_at + datetime.timedelta(days=3650)):
        assert submit(post).number == 1


def test_a_draft_takes_no_comments():
    with pytest.raises(CommentsClosedError):
        submit(PostFactory())


def test_a_reply_sets_its_parent(post):
    parent = submit(post)
    reply = submit(post, "Agreed.", parent=parent, name="Argon", email="argon@example.net")
    assert reply.parent == parent


def test_a_reply_to_another_posts_comment_is_refused(post):
    elsewhere = CommentFactory()
    with pytest.raises(CommentParentInvalidError):
        submit(post, parent=elsewhere)


def test_a_reply_to_a_removed_comment_is_refused(post):
    with pytest.raises(CommentParentInvalidError):
        submit(post, parent=CommentFactory(post=post, removed=True))


def test_a_new_at_reply_is_linked_as_it_is_posted(post):
    CommentFactory(post=post, name="C. Clavin")
    reply = submit(post, "@C. Calvin, no.")
    assert reply.mention_of.number == 1
    assert reply.mention_confidence < 1


def test_the_pipeline_setting_decides_and_sees_the_request(post, settings):
    settings.COMMENT_PIPELINE = f"{__name__}.held_for_review"
    context = SubmissionContext(
        post=post, ip_address="192.0.2.9", user_agent="UA", form_age_seconds=12.5, honeypot=""
    )
    comment = submit(post, context=context)
    assert (comment.status, comment.status_reason, comment.spam_score) == (
        CommentStatus.PENDING, "links", 0.7,
    )  # fmt: skip
    seen_comment, seen_context = seen_by_pipeline[-1]
    assert seen_comment.body == "The annex should be published."
    assert seen_context.form_age_seconds == 12.5
    assert seen_context.ip_address == "192.0.2.9"
    post.refresh_from_db()
    assert post.comment_count == 0


def test_a_rejection_stores_nothing_and_carries_its_status(post, settings):
    settings.COMMENT_PIPELINE = f"{__name__}.rate_limited"
    with pytest.raises(CommentRejectedError) as caught:
        submit(post)
    assert (caught.value.message, caught.value.http_status) == ("Slow down.", 429)
    assert not Comment.objects.exists()


def test_the_default_pipeline_rejects_a_filled_honeypot(post):
    context = SubmissionContext(post=post, honeypot="http://spam.example")
    with pytest.raises(CommentRejectedError):
        submit(post, context=context)


def test_a_signed_in_reader_comments_under_their_account(post):
    user = UserFactory(first_name="Priya", last_name="Castellane", email="priya@example.org")
    comment = submit(post, user=user, name="", email="")
    assert (comment.user, comment.name, comment.email) == (user, "Priya Castellane",
                                                           "priya@example.org")  # fmt: skip


def test_a_guest_edits_within_the_window_and_it_says_so(post):
    with time_machine.travel(NOW, tick=False):
        comment = submit(post)
    with time_machine.travel(NOW + datetime.timedelta(minutes=14), tick=False):
        services.comment_edit(
            comment=comment,
            body="The annex **must** be published.",
            authored_ids=[comment.pk],
            context=SubmissionContext(post=post, is_edit=True),
        )
    comment.refresh_from_db()
    assert comment.body_html == "<p>The annex <strong>must</strong> be published.</p>\n"
    assert comment.edited_at == NOW + datetime.timedelta(minutes=14)


def test_after_the_window_an_edit_is_refused(post):
    with time_machine.travel(NOW, tick=False):
        comment = submit(post)
    late = NOW + datetime.timedelta(minutes=15, seconds=1)
    with (
        time_machine.travel(late, tick=False),
        pytest.raises(CommentNotEditableError, match="15 minutes"),
    ):
        services.comment_edit(
            comment=comment,
            body="Changed.",
            authored_ids=[comment.pk],
            context=SubmissionContext(post=post, is_edit=True),
        )


def test_the_edit_window_follows_the_setting(post, settings):
    settings.COMMENT_EDIT_MINUTES = 2
    with time_machine.travel(NOW, tick=False):
        comment = submit(post)
    with time_machine.travel(NOW + datetime.timedelta(minutes=3), tick=False):
        assert not services.comment_can_edit(comment, authored_ids=[comment.pk])


def test_only_the_author_may_edit(post):
    comment = submit(post)
    stranger = UserFactory()
    with pytest.raises(CommentNotEditableError, match="Only the person"):
        services.comment_edit(
            comment=comment,
            body="Hijacked.",
            user=stranger,
            authored_ids=[comment.pk + 1],
            context=SubmissionContext(post=post, is_edit=True),
        )
    account = submit(post, "Mine.", user=UserFactory())
    assert not services.comment_can_edit(account, authored_ids=[account.pk])
    assert services.comment_can_edit(account, user=account.user)


def test_an_edit_may_not_empty_a_comment(post):
    comment = submit(post)
    with pytest.raises(CommentEmptyError):
        services.comment_edit(
            comment=comment, body=" ", authored_ids=[comment.pk],
            context=SubmissionContext(post=post, is_edit=True),
        )  # fmt: skip


def test_a_deleted_comment_keeps_its_number(post):
    first = submit(post)
    services.comment_delete(comment=first, authored_ids=[first.pk])
    first.refresh_from_db()
    assert (first.status, first.status_reason) == (CommentStatus.REMOVED, "deleted by its author")
    assert submit(post, "Next.").number == 2
    post.refresh_from_db()
    assert post.comment_count == 1


def test_removal_by_a_moderator_recounts(post):
    comment = submit(post)
    services.comment_remove(comment=comment, reason="off topic")
    post.refresh_from_db()
    assert post.comment_count == 0


def test_the_visibility_signal_goes_out_after_commit(post, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, **kwargs):
        received.append((kwargs["comment"].number, kwargs["previous_status"], kwargs["status"]))

    comment_visibility_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            comment = submit(post)
        assert received == []
        for callback in callbacks:
            callback()
        assert (1, None, CommentStatus.APPROVED) in received
        with django_capture_on_commit_callbacks(execute=True):
            services.comment_remove(comment=comment)
        assert (1, CommentStatus.APPROVED, CommentStatus.REMOVED) in received
    finally:
        comment_visibility_changed.disconnect(listener)


def test_addresses_are_forgotten_after_the_retention_period(settings):
    settings.COMMENT_IP_RETENTION_DAYS = 30
    old = CommentFactory(old=True, ip_address="192.0.2.1", user_agent="Old browser")
    recent = CommentFactory(ip_address="192.0.2.2", user_agent="New browser")
    assert services.comment_personal_data_purge() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert recent.ip_address == "192.0.2.2"


def test_posting_queues_the_purge_at_most_hourly(
    post, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.cache import cache

    cache.delete("discussion:purge-queued")
    monkeypatch.setattr(services, "_purge_next_ask", 0.0)
    CommentFactory(post=post, old=True, ip_address="192.0.2.1")
    with django_capture_on_commit_callbacks(execute=True):
        submit(post)
    assert Comment.objects.filter(ip_address="192.0.2.1").count() == 0
    CommentFactory(post=post, old=True, ip_address="192.0.2.3")
    with django_capture_on_commit_callbacks(execute=True):
        submit(post, "Another.")
    assert Comment.objects.filter(ip_address="192.0.2.3").count() == 1
    # A minute on, this process asks again; the shared cache still says it was queued.
    monkeypatch.setattr(services, "_purge_next_ask", 0.0)
    with django_capture_on_commit_callbacks(execute=True):
        submit(post, "A third.")
    assert Comment.objects.filter(ip_address="192.0.2.3").count() == 1


def test_a_process_asks_the_cache_about_the_purge_at_most_once_a_minute(post, monkeypatch):
    from django.core.cache import cache

    asked = []
    add = cache.add
    monkeypatch.setattr(cache, "add", lambda *args: asked.append(args[0]) or add(*args))
    monkeypatch.setattr(services, "_purge_next_ask", 0.0)
    submit(post)
    submit(post, "Another.")
    assert asked.count("discussion:purge-queued") == 1
    monkeypatch.setattr(services, "_purge_next_ask", time.monotonic() - 1)
    submit(post, "A third.")
    assert asked.count("discussion:purge-queued") == 2


def test_an_import_is_idempotent_and_keeps_an_empty_comment_as_removed(post):
    when = timezone.now() - datetime.timedelta(days=1)
    first, created = services.comment_import(
        post=post, import_ref="x:1", name="Rook", body="", created_at=when
    )
    assert created
    assert (first.status, first.status_reason, first.number) == ("removed", "empty", 1)
    again, created = services.comment_import(
        post=post, import_ref="x:1", name="Rook", body="", created_at=when
    )
    assert (again.pk, created) == (first.pk, False)
    changed, created = services.comment_import(
        post=post, import_ref="x:1", name="Rook", body="Now with words.", created_at=when
    )
    assert not created
    assert (changed.status, changed.number) == ("approved", 1)


def test_an_import_keeps_only_what_fits_and_is_safe(post):
    comment, _ = services.comment_import(
        post=post, import_ref="x:2", name="N" * 120, url="javascript:alert(1)",
        body="Hi", created_at=timezone.now(),
    )  # fmt: skip
    comment.refresh_from_db()
    assert (len(comment.name), comment.url) == (80, "")


def test_a_website_that_is_not_a_web_address_is_never_linked():
    assert CommentFactory(url="javascript:alert(1)").safe_url == ""
    assert CommentFactory(url="https://example.org/").safe_url == "https://example.org/"


def test_a_held_comment_leaves_the_count_alone_and_its_approval_counts(
    post, settings, django_assert_max_num_queries
):
    submit(post, "Counted.")
    settings.COMMENT_PIPELINE = f"{__name__}.held_for_review"
    with django_assert_max_num_queries(7) as queries:
        held = submit(post, "Waiting.")
    # No recount: only approved comments count, and this one is not.
    assert not any("comment_count" in query["sql"] for query in queries.captured_queries)
    post.refresh_from_db()
    assert post.comment_count == 1
    services.comment_status_set(comment=held, status=CommentStatus.APPROVED)
    post.refresh_from_db()
    assert post.comment_count == 2


def decided_where(comment, context):
    decided_where.depths.append(len(connection.atomic_blocks))
    return Decision(CommentStatus.APPROVED)


def test_the_pipeline_decides_outside_the_posts_lock(post, settings):
    """Phases can take milliseconds (the spam model, the rate limit's counters); holding the
    post's lock meanwhile would queue every other comment on the post behind them."""
    settings.COMMENT_PIPELINE = f"{__name__}.decided_where"
    decided_where.depths = []
    outside = len(connection.atomic_blocks)
    assert submit(post, "Side by side.").status == CommentStatus.APPROVED
    assert decided_where.depths == [outside]
