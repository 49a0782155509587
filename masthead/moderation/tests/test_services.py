import threading

import pytest
from django.db import connection

from masthead.discussion.models import CommentStatus
from masthead.discussion.tests.factories import CommentFactory
from masthead.moderation import selectors, services
from masthead.moderation.exceptions import (
    BanInvalidError,
    ModerationActionInvalidError,
    ModerationActionUnknownError,
    ReportDuplicateError,
    ReportNotAllowedError,
    RuleInvalidError,
    RuleNeedsConfirmationError,
)
from masthead.moderation.models import (
    AuditAction,
    AuditEntry,
    Ban,
    BanKind,
    LearnedToken,
    LearnedTotals,
    Report,
    Rule,
)
from masthead.moderation.services import spam_learn
from masthead.moderation.spam import score_comment
from masthead.moderation.tests.factories import ModeratorFactory, ReportFactory
from masthead.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BODY = "Fresh quayside crab rolls at the Lowtown market stall every Saturday morning."


def test_a_spam_verdict_raises_the_next_score_at_once():
    before = score_comment(body=BODY).probability
    spam_learn(body=BODY, name="Crab Shack", url="https://crab.example.com/", is_spam=True)
    after = score_comment(body=BODY).probability
    assert after > before


def test_a_not_spam_verdict_lowers_the_next_score():
    body = "Subscribe to my channel for the harbour webcam, link in my profile."
    before = score_comment(body=body).probability
    spam_learn(body=body, name="Ferry fan", is_spam=False)
    assert score_comment(body=body).probability < before


def test_learning_keeps_counts_and_totals_in_the_database():
    spam_learn(body=BODY, name="Crab Shack", is_spam=True)
    spam_learn(body=BODY, name="Crab Shack", is_spam=True)
    spam_learn(body="Quayside crab was fine.", is_spam=False)
    totals = LearnedTotals.objects.get()
    assert (totals.spam_count, totals.ham_count) == (2, 1)
    assert LearnedToken.objects.get(token="crab").spam_count == 2
    assert LearnedToken.objects.get(token="crab").ham_count == 1
    assert LearnedToken.objects.get(token="name:shack").spam_count == 2


def test_what_the_site_learns_does_not_change_the_shipped_model():
    from masthead.moderation.spam.model import shipped

    before = score_comment(body=BODY, model=shipped())
    spam_learn(body=BODY, is_spam=True)
    assert score_comment(body=BODY, model=shipped()) == before


def test_scoring_without_any_learning_asks_the_database_once(django_assert_num_queries):
    with django_assert_num_queries(1):
        score_comment(body=BODY)
    spam_learn(body=BODY, is_spam=True)
    with django_assert_num_queries(2):
        score_comment(body=BODY)


# Moderators' decisions -----------------------------------------------------------------------

SPAMMY = "Visit my site for cheap essays and loans, best deals online, click the link today."


def statuses(comment):
    comment.refresh_from_db()
    entries = AuditEntry.objects.filter(comment=comment).order_by("pk")
    return comment.status, [(e.action, e.status_before, e.status_after) for e in entries]


def test_approving_a_held_comment_publishes_counts_and_audits_it(moderator):
    comment = CommentFactory(pending=True)
    services.comment_moderate(comment_id=comment.pk, action="approve", actor=moderator)
    assert statuses(comment) == (
        CommentStatus.APPROVED,
        [(AuditAction.APPROVE, CommentStatus.PENDING, CommentStatus.APPROVED)],
    )
    assert comment.status_reason == f"approved by {moderator.username}"
    comment.post.refresh_from_db()
    assert comment.post.comment_count == 1
    entry = AuditEntry.objects.get(comment=comment)
    assert (entry.actor, entry.actor_name) == (moderator, moderator.username)


def test_a_moderators_spam_verdict_changes_the_next_score(moderator):
    from masthead.moderation.spam import score_comment

    comment = CommentFactory(body=SPAMMY, name="Essay Helper")
    before = score_comment(body=SPAMMY, name="Essay Helper").probability
    services.comment_moderate(comment_id=comment.pk, action="spam", actor=moderator)
    assert score_comment(body=SPAMMY, name="Essay Helper").probability > before
    assert LearnedTotals.objects.get().spam_count == 1


def test_marking_spam_twice_teaches_the_model_once_but_audits_both(moderator):
    comment = CommentFactory()
    for _ in range(2):
        services.comment_moderate(comment_id=comment.pk, action="spam", actor=moderator)
    assert LearnedTotals.objects.get().spam_count == 1
    assert statuses(comment)[1] == [
        (AuditAction.SPAM, CommentStatus.APPROVED, CommentStatus.SPAM),
        (AuditAction.SPAM, CommentStatus.SPAM, CommentStatus.SPAM),
    ]


def test_restoring_from_spam_puts_it_back_and_teaches_not_spam(moderator):
    comment = CommentFactory(body=BODY)
    services.comment_moderate(comment_id=comment.pk, action="spam", actor=moderator)
    spam_score = score_comment(body=BODY).probability
    services.comment_moderate(comment_id=comment.pk, action="restore", actor=moderator)
    status, trail = statuses(comment)
    assert status == CommentStatus.APPROVED
    assert trail[-1] == (AuditAction.RESTORE, CommentStatus.SPAM, CommentStatus.APPROVED)
    assert LearnedTotals.objects.get().ham_count == 1
    assert score_comment(body=BODY).probability < spam_score
    assert comment.body == BODY  # nothing lost


def test_restoring_a_removed_comment_returns_it_to_where_it_was(moderator):
    held = CommentFactory(pending=True)
    services.comment_moderate(comment_id=held.pk, action="remove", actor=moderator)
    services.comment_moderate(comment_id=held.pk, action="restore", actor=moderator)
    assert statuses(held)[0] == CommentStatus.PENDING
    spammed_on_arrival = CommentFactory(spam=True)
    services.comment_moderate(comment_id=spammed_on_arrival.pk, action="restore", actor=moderator)
    assert statuses(spammed_on_arrival)[0] == CommentStatus.APPROVED


def test_only_spam_and_removed_comments_can_be_restored(moderator):
    comment = CommentFactory()
    with pytest.raises(ModerationActionInvalidError, match="only spam and removed"):
        services.comment_moderate(comment_id=comment.pk, action="restore", actor=moderator)
    assert not AuditEntry.objects.exists()


def test_an_unknown_action_changes_nothing(moderator):
    comment = CommentFactory(pending=True)
    with pytest.raises(ModerationActionUnknownError, match="“delete” is not a moderation action"):
        services.comment_moderate(comment_id=comment.pk, action="delete", actor=moderator)
    with pytest.raises(ModerationActionUnknownError):
        services.comments_moderate_bulk(comment_ids=[comment.pk], action="delete", actor=moderator)
    assert statuses(comment) == (CommentStatus.PENDING, [])


def test_banning_removes_the_comment_and_bans_the_account_or_address(moderator):
    guest = CommentFactory(email="Troll@Example.net")
    services.comment_moderate(comment_id=guest.pk, action="ban", actor=moderator)
    ban = Ban.objects.get()
    assert (ban.kind, ban.email, ban.created_by) == (BanKind.EMAIL, "troll@example.net", moderator)
    status, trail = statuses(guest)
    assert status == CommentStatus.REMOVED
    assert trail == [(AuditAction.BAN, CommentStatus.APPROVED, CommentStatus.REMOVED)]
    assert AuditEntry.objects.get().subject == f"ban {ban.pk}: E-mail address: troll@example.net"
    member = CommentFactory(user=UserFactory(username="rower"))
    services.comment_moderate(comment_id=member.pk, action="ban", actor=moderator)
    assert Ban.objects.filter(kind=BanKind.USER, user=member.user).exists()


def test_bulk_actions_audit_each_comment_and_skip_what_does_not_apply(moderator):
    held = CommentFactory.create_batch(3, pending=True)
    approved = CommentFactory()
    result = services.comments_moderate_bulk(
        comment_ids=[c.pk for c in held] + [approved.pk, 999_999], action="restore", actor=moderator
    )
    assert result.done == 0 and len(result.skipped) == 5
    result = services.comments_moderate_bulk(
        comment_ids=[c.pk for c in held], action="spam", actor=moderator
    )
    assert result.done == 3
    assert AuditEntry.objects.filter(action=AuditAction.SPAM).count() == 3


def test_approve_everything_from_one_commenter(moderator):
    first = CommentFactory(pending=True, email="ines@example.net")
    CommentFactory(pending=True, email="INES@example.net".lower())
    CommentFactory(spam=True, email="ines@example.net")
    other = CommentFactory(pending=True, email="argon@example.net")
    result = services.commenter_approve_all(comment_id=first.pk, actor=moderator)
    assert result.done == 2
    assert statuses(other)[0] == CommentStatus.PENDING


def test_a_decision_resolves_the_comments_open_reports(moderator):
    report = ReportFactory()
    services.comment_moderate(comment_id=report.comment_id, action="remove", actor=moderator)
    report.refresh_from_db()
    assert report.resolved_at is not None and report.resolved_by == moderator


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database shares one cache whose table locks do not wait",
)
def test_two_moderators_at_once_leave_one_state_and_two_entries():
    """Each thread has its own connection and transaction; the row lock orders them."""
    comment = CommentFactory(pending=True)
    first, second = ModeratorFactory(), ModeratorFactory()
    barrier = threading.Barrier(2)
    errors = []

    def act(actor, action):
        try:
            barrier.wait(timeout=10)
            services.comment_moderate(comment_id=comment.pk, action=action, actor=actor)
        except Exception as error:  # the assertion below reports it
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(first, "approve")),
        threading.Thread(target=act, args=(second, "spam")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    comment.refresh_from_db()
    entries = list(AuditEntry.objects.filter(comment=comment).order_by("pk"))
    assert len(entries) == 2
    # The second saw the first's result; the last entry's outcome is the comment's state.
    assert entries[0].status_before == CommentStatus.PENDING
    assert entries[1].status_before == entries[0].status_after
    assert entries[1].status_after == comment.status


# Bans and rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("network", "10.0.0.0/33", "is not an IP address or range"),
        ("network", "300.1.2.3", "is not an IP address or range"),
        ("network", "0.0.0.0/0", "ranges wider than /8 are refused"),
        ("email", "not an address", "is not an e-mail address"),
        ("user", "nobody-by-that-name", "No account has the user name"),
        ("user", "   ", "Say who to ban"),
        ("planet", "mars", "is not a kind of ban"),
    ],
)
def test_a_bad_ban_is_refused_with_a_clear_message(moderator, kind, value, message):
    with pytest.raises(BanInvalidError, match=message):
        services.ban_create(kind=kind, value=value, actor=moderator)
    assert not Ban.objects.exists() and not AuditEntry.objects.exists()


def test_a_ban_on_a_range_is_kept_in_cidr_form_audited_and_lifted(moderator):
    ban = services.ban_create(kind="network", value="192.0.2.77/24", actor=moderator, reason="bot")
    assert ban.network == "192.0.2.0/24"
    assert ban.covers_address("192.0.2.200") and not ban.covers_address("192.0.3.1")
    services.ban_lift(ban_id=ban.pk, actor=moderator)
    ban.refresh_from_db()
    assert ban.lifted_by == moderator and not Ban.objects.active().exists()
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        AuditAction.BAN_ADD,
        AuditAction.BAN_LIFT,
    ]


@pytest.mark.parametrize(
    ("kind", "pattern", "message"),
    [
        ("word", "", "Enter a word or phrase"),
        ("word", "   ", "Enter a word or phrase"),
        ("word", "!!!", "has no letters or digits"),
        ("domain", "", "Enter a domain"),
        ("domain", "localhost", "is not a domain"),
    ],
)
def test_a_bad_rule_is_refused(moderator, kind, pattern, message):
    with pytest.raises(RuleInvalidError, match=message):
        services.rule_create(kind=kind, list_name="suspect", pattern=pattern, actor=moderator)
    assert not Rule.objects.exists()


def test_a_rule_that_would_catch_more_than_half_needs_a_second_confirmation(moderator):
    CommentFactory.create_batch(3, body="The harbour sale was rushed.")
    CommentFactory(body="Nothing to see.")
    with pytest.raises(RuleNeedsConfirmationError) as raised:
        services.rule_create(kind="word", list_name="suspect", pattern="harbour", actor=moderator)
    assert (raised.value.trial.matched, raised.value.trial.sample) == (3, 4)
    assert not Rule.objects.exists()
    rule = services.rule_create(
        kind="word", list_name="suspect", pattern="harbour", actor=moderator, confirmed_broad=True
    )
    assert rule.is_active
    entry = AuditEntry.objects.get(action=AuditAction.RULE_ADD)
    assert entry.reason == "would have caught 3 of the last 4 comments"


def test_a_rule_is_kept_once_and_switched_off_not_deleted(moderator):
    rule = services.rule_create(
        kind="domain", list_name="banned", pattern="https://www.Spam.example.com/", actor=moderator
    )
    assert rule.pattern == "spam.example.com"
    with pytest.raises(RuleInvalidError, match="already a rule"):
        services.rule_create(
            kind="domain", list_name="suspect", pattern="spam.example.com", actor=moderator
        )
    services.rule_disable(rule_id=rule.pk, actor=moderator)
    rule.refresh_from_db()
    assert not rule.is_active and rule.disabled_by == moderator


def test_the_trial_looks_at_the_most_recent_comments_only(moderator):
    CommentFactory.create_batch(3, body="old harbour")
    CommentFactory.create_batch(2, body="new and different")
    trial = selectors.rule_trial(kind="word", pattern="harbour", sample=2)
    assert (trial.sample, trial.matched, trial.examples) == (2, 0, [])
    trial = selectors.rule_trial(kind="word", pattern="harbour")
    assert (trial.sample, trial.matched, len(trial.examples)) == (5, 3, 3)


# Reports -------------------------------------------------------------------------------------


def report(comment, n, **kwargs):
    return services.report_create(
        comment_id=comment.pk, reason="abuse", ip_address=f"192.0.2.{n}", **kwargs
    )


def test_reports_from_enough_readers_hide_a_comment_until_a_moderator_decides(moderator, settings):
    settings.REPORTS_TO_HIDE = 3
    comment = CommentFactory()
    report(comment, 1)
    report(comment, 2)
    assert statuses(comment)[0] == CommentStatus.APPROVED
    report(comment, 3)
    status, trail = statuses(comment)
    assert status == CommentStatus.PENDING
    assert comment.status_reason == "hidden after reports from 3 readers"
    assert trail == [(AuditAction.REPORTED, CommentStatus.APPROVED, CommentStatus.PENDING)]
    comment.post.refresh_from_db()
    assert comment.post.comment_count == 0
    services.comment_moderate(comment_id=comment.pk, action="approve", actor=moderator)
    assert not Report.objects.filter(resolved_at=None).exists()
    report(comment, 4)
    assert statuses(comment)[0] == CommentStatus.APPROVED  # three new readers are needed


def test_a_reader_reports_a_comment_once(settings):
    comment = CommentFactory()
    reader = UserFactory()
    services.report_create(
        comment_id=comment.pk, reason="spam", user=reader, ip_address="192.0.2.1"
    )
    with pytest.raises(ReportDuplicateError):
        services.report_create(
            comment_id=comment.pk, reason="abuse", user=reader, ip_address="192.0.2.99"
        )
    report(comment, 5)
    with pytest.raises(ReportDuplicateError):
        report(comment, 5)
    assert Report.objects.count() == 2
    stored = Report.objects.exclude(reporter=reader).get()
    assert "192.0.2.5" not in stored.reporter_key


def test_a_hidden_comment_cannot_be_reported_again():
    comment = CommentFactory(pending=True)
    with pytest.raises(ReportNotAllowedError):
        report(comment, 1)
