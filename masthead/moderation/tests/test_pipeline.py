"""Each phase of the pipeline: its decision and its reason, and that the first decision wins."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.discussion import services
from masthead.discussion.exceptions import (
    CommentDuplicateError,
    CommentRejectedError,
    CommentsClosedError,
)
from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.pipeline import SubmissionContext
from masthead.discussion.tests.factories import CommentFactory, SubscriptionFactory
from masthead.moderation import pipeline
from masthead.moderation.models import AuditEntry, BanKind
from masthead.moderation.services import spam_learn
from masthead.moderation.tests.conftest import READER_BODY, form_context
from masthead.moderation.tests.factories import BanFactory, RuleFactory
from masthead.people.tests.factories import UserFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
ADVERT = (
    "Great post! I bookmarked your blog and will be checking back regularly. Visit my site for "
    "cheap hosting deals."
)


@pytest.fixture(autouse=True)
def _post_moderation_without_first_time_hold(settings):
    """Most phases are easiest to see with nothing held by policy; the policy has its tests."""
    settings.HOLD_FIRST_TIME = False
    settings.MODERATION_MODE = "post"


def decide(post, body=READER_BODY, *, context=None, **fields):
    fields.setdefault("name", "Ines Maro")
    fields.setdefault("email", "ines.maro@example.net")
    comment = Comment(post=post, body=body, **fields)
    decision = pipeline.decide(comment, context or form_context(post))
    return decision, decision.phase


def test_a_reader_comment_passes_every_phase(post):
    decision, phase = decide(post)
    assert (decision.status, phase) == (CommentStatus.APPROVED, "policy")
    assert decision.reason == "no phase objected"
    assert decision.spam_score is not None and decision.spam_score < 0.5


@pytest.mark.parametrize(
    ("body", "reason"),
    [("   \n ", "empty"), ("x" * 10_001, "too long: 10,001 characters")],
)
def test_length_rejects_empty_and_too_long(post, body, reason):
    decision, phase = decide(post, body)
    assert decision.is_rejected and phase == "length"
    assert decision.reason == reason
    assert decision.http_status == 400


def test_a_closed_post_rejects_with_403(post):
    post.is_comments_open = False
    decision, phase = decide(post)
    assert (decision.is_rejected, phase, decision.http_status) == (True, "closed", 403)
    assert decision.message == "Comments are closed on this post."


def test_a_filled_honeypot_rejects(post):
    decision, phase = decide(post, context=form_context(post, honeypot="http://spam.example"))
    assert (decision.is_rejected, phase, decision.reason) == (
        True,
        "honeypot",
        "honeypot field filled in",
    )


@pytest.mark.parametrize(
    ("age", "reason"),
    [(1.2, "form sent 1.2 seconds after it was served"), (90_000, "form older than a day")],
)
def test_a_form_sent_too_fast_or_too_late_is_held(post, age, reason):
    decision, phase = decide(post, context=form_context(post, form_age_seconds=age))
    assert (decision.status, phase, decision.reason) == (CommentStatus.PENDING, "timestamp", reason)


def test_without_a_form_age_the_timestamp_has_no_opinion(post):
    sub = pipeline.Submission(Comment(post=post, body="x"), SubmissionContext(post=post))
    assert pipeline.timestamp(sub) is None
    assert (
        pipeline.timestamp(
            pipeline.Submission(Comment(post=post), form_context(post, form_age_seconds=3.0))
        )
        is None
    )


@pytest.mark.parametrize(
    ("ban", "fields"),
    [
        ({"kind": BanKind.EMAIL, "email": "ines.maro@example.net"}, {}),
        ({"kind": BanKind.NETWORK, "network": "198.51.100.0/24"}, {}),
        ({"kind": BanKind.NETWORK, "network": "198.51.100.7/32"}, {}),
    ],
)
def test_a_banned_commenter_is_rejected(post, ban, fields):
    BanFactory(**ban)
    decision, phase = decide(post, **fields)
    assert (decision.is_rejected, phase, decision.http_status) == (True, "ban", 403)
    assert decision.reason.startswith("banned ")


def test_a_banned_account_is_rejected_and_an_expired_or_lifted_ban_is_not(post):
    user = UserFactory()
    BanFactory(kind=BanKind.USER, user=user, email="")
    decision, phase = decide(post, user=user)
    assert (decision.is_rejected, phase) == (True, "ban")
    assert decision.reason == f"banned account: {user.get_username()}"
    past = timezone.now() - datetime.timedelta(minutes=1)
    BanFactory(email="late@example.net", expires_at=past)
    BanFactory(email="lifted@example.net", lifted_at=past)
    for email in ("late@example.net", "lifted@example.net"):
        assert not decide(post, email=email)[0].is_rejected


def test_an_address_outside_a_banned_range_is_not_banned(post):
    BanFactory(kind=BanKind.NETWORK, network="203.0.113.0/24", email="")
    assert decide(post)[1] == "policy"


@pytest.mark.usefixtures("one_rate_window")
def test_the_rate_limit_counts_per_address_and_per_commenter(post, settings):
    settings.COMMENT_RATE = "2/10m"
    for _ in range(2):
        assert not decide(post)[0].is_rejected
    decision, phase = decide(post)
    assert (decision.is_rejected, phase, decision.http_status) == (True, "rate", 429)
    assert decision.reason == "rate limit: more than 2 in 10 minutes"
    # Another address, same commenter: still limited; another commenter elsewhere is not.
    other_address = form_context(post, ip_address="192.0.2.50")
    assert decide(post, context=other_address)[1] == "rate"
    assert not decide(post, context=other_address, email="argon@example.net")[0].is_rejected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("5/10m", (5, 600)), ("30/h", (30, 3600)), ("100 / 1d", (100, 86400)), ("off", (0, 60))],
)
def test_the_comment_rate_setting(settings, value, expected):
    settings.COMMENT_RATE = value
    assert pipeline.comment_rate() == expected


def test_a_malformed_comment_rate_says_what_is_expected(settings):
    settings.COMMENT_RATE = "five a minute"
    with pytest.raises(ImproperlyConfigured, match="like 5/10m"):
        pipeline.comment_rate()


def test_a_banned_word_rejects_and_a_suspect_word_holds(post):
    RuleFactory(pattern="scoundrel", banned=True)
    RuleFactory(pattern="nincompoop")
    decision, phase = decide(post, "The chair is a SCOUNDREL.")
    assert (decision.is_rejected, phase, decision.reason) == (
        True,
        "words",
        "banned word “scoundrel”",
    )
    decision, phase = decide(post, "The chair is a n1nc0mp00p, frankly.")
    assert (decision.status, phase) == (CommentStatus.PENDING, "words")
    assert decision.reason == "suspect word “nincompoop”"


def test_words_match_whole_words_and_look_alikes(post):
    RuleFactory(pattern="ass", banned=True)
    assert decide(post, "The assessment of the harbour assets was fair.")[1] == "policy"
    assert decide(post, "What an аss.")[1] == "words"  # Cyrillic а


def test_a_link_rule_matches_the_domain_and_its_subdomains_in_body_or_website(post):
    RuleFactory(domain=True, banned=True)
    assert decide(post, "See https://www.spam.example.com/offer today.")[1] == "words"
    assert decide(post, "My reply.", url="https://shop.spam.example.com/")[1] == "words"
    assert decide(post, "See https://notspam.example.com/ instead.")[1] != "words"


def test_more_links_than_allowed_are_held(post, settings):
    body = "Sources: https://a.example.org/1 https://b.example.org/2 https://c.example.org/3"
    decision, phase = decide(post, body)
    assert (decision.status, phase) == (CommentStatus.PENDING, "links")
    assert decision.reason == "3 links (more than 2)"
    settings.MAX_LINKS = 3
    assert decide(post, body)[1] != "links"


def test_the_spam_model_calls_spam_and_stores_its_score(post):
    decision, phase = decide(
        post, ADVERT, name="Cheap Hosting Deals", url="http://cheap-hosting.example.com/"
    )
    assert (decision.status, phase) == (CommentStatus.SPAM, "spam")
    assert decision.reason.startswith(("spam score 0.9", "spam score 1.000"))
    assert "stock phrase" in decision.reason
    assert decision.spam_score >= 0.92


def test_a_middling_spam_score_holds(post, settings):
    settings.SPAM_HOLD_THRESHOLD = 0.0001
    decision, phase = decide(post)
    assert (decision.status, phase) == (CommentStatus.PENDING, "spam")


def test_the_first_decision_wins(post):
    """A banned word, too many links and spam all at once: the earliest phase decides."""
    RuleFactory(pattern="hosting", banned=True)
    body = ADVERT + " https://a.example.com https://b.example.com https://c.example.com"
    decision, phase = decide(post, body, context=form_context(post, form_age_seconds=0.5))
    assert (phase, decision.status) == ("timestamp", CommentStatus.PENDING)
    decision, phase = decide(post, body)
    assert (phase, decision.is_rejected) == ("words", True)


class TestPolicy:
    def test_first_time_commenters_are_held_when_on(self, post, settings):
        settings.HOLD_FIRST_TIME = True
        decision, phase = decide(post)
        assert (decision.status, phase) == (CommentStatus.PENDING, "policy")
        assert decision.reason == "first comment from this commenter"
        CommentFactory(post=post, email="ines.maro@example.net")
        assert decide(post)[0].status == CommentStatus.APPROVED

    def test_pre_moderation_holds_everything_but_trusted_commenters(self, post, settings):
        settings.MODERATION_MODE = "pre"
        user = UserFactory()
        CommentFactory.create_batch(2, post=post, user=user)
        decision, phase = decide(post, user=user)
        assert (decision.status, decision.reason) == (
            CommentStatus.PENDING,
            "pre-moderation: every comment waits for a moderator",
        )
        CommentFactory(post=post, user=user)
        decision, phase = decide(post, user=user)
        assert (decision.status, phase) == (CommentStatus.APPROVED, "trust")
        assert decision.reason == "trusted commenter (3 approved, no spam)"

    def test_one_spam_comment_loses_trust(self, post, settings):
        settings.MODERATION_MODE = "pre"
        user = UserFactory()
        CommentFactory.create_batch(5, post=post, user=user)
        CommentFactory(post=post, user=user, spam=True)
        assert decide(post, user=user)[1] == "policy"

    def test_a_guest_earns_trust_only_with_a_confirmed_address(self, post, settings):
        settings.MODERATION_MODE = "pre"
        CommentFactory.create_batch(3, post=post, email="ines.maro@example.net", user=None)
        assert decide(post)[1] == "policy"
        SubscriptionFactory(post=post, email="ines.maro@example.net", is_confirmed=False)
        assert decide(post)[1] == "policy"
        SubscriptionFactory(email="ines.maro@example.net", is_confirmed=True)
        assert decide(post)[1] == "trust"

    def test_staff_are_trusted(self, post, settings):
        settings.MODERATION_MODE = "pre"
        assert decide(post, user=UserFactory(is_staff=True))[1] == "trust"


@pytest.mark.usefixtures("one_rate_window")
class TestNotFromTheForm:
    """The demo loader and scripts: no form age and no address."""

    def test_the_form_phases_and_policy_do_not_apply(self, post, settings):
        settings.HOLD_FIRST_TIME = True
        settings.MODERATION_MODE = "pre"
        settings.COMMENT_RATE = "1/10m"
        for _ in range(3):
            decision, phase = decide(post, context=SubmissionContext(post=post))
            assert (decision.status, phase) == (CommentStatus.APPROVED, "policy")
        assert decision.reason == "loaded, not posted through the form"

    def test_what_the_comment_says_is_still_judged(self, post):
        RuleFactory(pattern="scoundrel")
        decision, phase = decide(post, "A scoundrel.", context=SubmissionContext(post=post))
        assert (decision.status, phase) == (CommentStatus.PENDING, "words")


class TestEdits:
    def test_an_edit_never_publishes_a_held_comment(self, post, submit, settings):
        settings.HOLD_FIRST_TIME = True
        comment = submit()
        assert comment.status == CommentStatus.PENDING
        comment.body = "Edited, and entirely harmless."
        decision = pipeline.decide(comment, form_context(post, is_edit=True, form_age_seconds=None))
        assert decision.status == CommentStatus.PENDING
        assert decision.reason == "first comment from this commenter"

    def test_an_edit_that_adds_a_banned_word_is_rejected(self, post, submit):
        comment = submit()
        assert comment.status == CommentStatus.APPROVED
        RuleFactory(pattern="scoundrel", banned=True)
        comment.body = "On reflection, a scoundrel."
        context = form_context(post, is_edit=True, form_age_seconds=None)
        assert pipeline.decide(comment, context).is_rejected

    def test_edits_are_not_rate_limited(self, post, submit, settings):
        settings.COMMENT_RATE = "1/10m"
        comment = submit()
        context = form_context(post, is_edit=True, form_age_seconds=None)
        for n in range(3):
            comment.body = f"Edit number {n} of a thoughtful remark about the harbour."
            assert pipeline.decide(comment, context).status == CommentStatus.APPROVED


class TestThroughDiscussion:
    def test_the_decision_and_its_reason_are_stored_and_audited(self, post, submit):
        comment = submit(
            "Sources: https://a.example.org https://b.example.org https://c.example.org"
        )
        comment.refresh_from_db()
        assert (comment.status, comment.status_reason) == (
            CommentStatus.PENDING,
            "3 links (more than 2)",
        )
        entry = AuditEntry.objects.get(comment=comment)
        assert (entry.actor, entry.actor_name, entry.action, entry.phase) == (
            None,
            "pipeline",
            "pipeline",
            "links",
        )
        assert (entry.status_before, entry.status_after) == ("", CommentStatus.PENDING)
        assert entry.reason == "3 links (more than 2)"

    def test_the_entry_is_written_by_the_comments_own_statement_on_postgresql(self, post, submit):
        with CaptureQueriesContext(connection) as captured:
            comment = submit()
        writes = [
            q["sql"] for q in captured.captured_queries if "moderation_auditentry" in q["sql"]
        ]
        (write,) = writes
        if connection.vendor == "postgresql":
            assert write.startswith('WITH new AS (INSERT INTO "discussion_comment"')
        else:  # in process, a statement is cheap: the entry's own, just after
            assert write.startswith('INSERT INTO "moderation_auditentry"')
        assert AuditEntry.objects.get(comment=comment).phase == "policy"

    @pytest.mark.usefixtures("one_rate_window")
    def test_a_rejection_stores_nothing_and_tells_the_commenter(self, post, submit, settings):
        BanFactory(email="ines.maro@example.net")
        with pytest.raises(CommentsClosedError) as raised:
            submit()
        assert raised.value.http_status == 403
        assert raised.value.message == "Comments from you are not accepted on this site."
        settings.COMMENT_RATE = "1/10m"
        submit(email="argon@example.net", name="Argon")
        with pytest.raises(CommentRejectedError) as raised:
            submit("Another thought.", email="argon@example.net", name="Argon")
        assert raised.value.http_status == 429
        assert Comment.objects.count() == 1
        assert AuditEntry.objects.count() == 1

    def test_an_edit_is_audited_with_the_status_before(self, post, submit):
        from masthead.discussion import services

        comment = submit()
        RuleFactory(pattern="scoundrel")
        services.comment_edit(
            comment=comment,
            body="On reflection, a scoundrel.",
            context=form_context(post, is_edit=True, form_age_seconds=None),
            authored_ids=[comment.pk],
        )
        entries = list(AuditEntry.objects.filter(comment=comment).order_by("pk"))
        assert [(e.phase, e.status_before, e.status_after) for e in entries] == [
            ("policy", "", CommentStatus.APPROVED),
            ("words", CommentStatus.APPROVED, CommentStatus.PENDING),
        ]


def test_the_phases_read_the_database_together(post, settings, django_assert_num_queries):
    """Bans, rules, the commenter's history, the learned counts and comments elsewhere: one
    statement on PostgreSQL (``read_together``), read when the ban phase first asks."""
    settings.COMMENT_RATE = "off"  # counted in the cache, or else in the database
    alone, _ = decide(post, f"{READER_BODY} Again.")
    CommentFactory(post=PostFactory(published=True), body=READER_BODY)
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 6):
        copied, phase = decide(post, f"{READER_BODY} Again.")
    assert phase == "policy"
    assert copied.spam_score > alone.spam_score  # the copy elsewhere was read and weighed


@pytest.mark.usefixtures("one_rate_window")
def test_a_second_click_is_refused_as_a_duplicate_before_the_rate_counts_it(submit, settings):
    settings.COMMENT_RATE = "2/10m"
    settings.HOLD_FIRST_TIME = False
    first = submit()
    with pytest.raises(CommentDuplicateError, match=r"You already posted this\."):
        submit()
    # Counted, the second click would have been the second of two allowed.
    later = submit(f"{READER_BODY} And the minutes.")
    assert (first.number, later.number) == (1, 2)


def test_the_duplicate_check_is_read_with_the_pipelines_own_reads(
    submit, post, django_assert_num_queries
):
    comment = submit()
    stored_again = Comment(post=post, body=comment.body, name=comment.name, email=comment.email)
    context = form_context(post, duplicate_read=services._duplicate_sql(stored_again))
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 7):
        decision = pipeline.decide(stored_again, context)
    assert decision.is_duplicate is True and decision.is_rejected
    assert decision.phase == "duplicate"


def test_the_counts_a_site_has_learned_are_read_with_the_rest(
    post, settings, django_assert_num_queries
):
    """Once moderators have judged a comment, every comment's tokens are looked up in what
    the site learned: in the same statement, not in one of their own."""
    settings.COMMENT_RATE = "off"
    body = "Crab shack special tonight, the harbour vote can wait."
    before, _ = decide(post, body, name="Quay Diner")
    for _ in range(3):
        spam_learn(body=body, name="Crab Shack", is_spam=True)
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 6):
        after, _ = decide(post, body, name="Quay Diner")
    assert after.spam_score > before.spam_score  # the learned words were read and weighed


def test_a_comment_costs_the_same_queries_however_much_the_site_holds(
    submit, post, django_assert_max_num_queries
):
    """Every read on the way in is bounded: bans, rules, a commenter's history and comments
    elsewhere add rows, never queries (the posting rate in docs/benchmarks.md depends on it)."""
    with django_assert_max_num_queries(20) as first:
        alone = submit(READER_BODY, email="first@example.net")
    BanFactory.create_batch(3)
    BanFactory(kind=BanKind.NETWORK, email="", network="203.0.113.0/24")
    RuleFactory.create_batch(5)
    CommentFactory.create_batch(2, email="regular@example.net", status=CommentStatus.APPROVED)
    CommentFactory.create_batch(20, post=PostFactory(published=True))
    with django_assert_max_num_queries(len(first.captured_queries)):
        busy = submit(f"{READER_BODY} Again.", email="regular@example.net")
    assert alone.status == busy.status == CommentStatus.APPROVED
