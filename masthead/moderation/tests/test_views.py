"""The moderators' pages and the readers' report form, through the test client."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.tests.factories import CommentFactory
from masthead.moderation.models import AuditAction, AuditEntry, Ban, Report, Rule
from masthead.moderation.tests.factories import RuleFactory
from masthead.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}
PAGES = ["/moderate/", "/moderate/audit/", "/moderate/bans/", "/moderate/rules/",
         "/moderate/dashboard/"]  # fmt: skip


@pytest.fixture
def staff(client, moderator):
    client.force_login(moderator)
    return client


def status_of(comment) -> str:
    comment.refresh_from_db()
    return comment.status


@pytest.mark.parametrize("path", PAGES)
def test_moderators_see_every_page(staff, path):
    CommentFactory(pending=True)
    response = staff.get(path)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize("path", [*PAGES, "/moderate/comments/1/"])
def test_other_accounts_get_403_and_visitors_are_sent_to_sign_in(client, reader, path):
    CommentFactory(pk=1)
    response = client.get(path)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(reader)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/moderate/act/", {"action": "approve", "ids": "1"}),
        ("/moderate/bans/", {"kind": "email", "value": "a@example.net"}),
        (
            "/moderate/rules/",
            {"kind": "word", "list_name": "banned", "pattern": "x", "step": "save"},
        ),
        ("/moderate/bans/1/lift/", {}),
        ("/moderate/rules/1/off/", {}),
    ],
)
def test_writes_by_anyone_but_a_moderator_get_403_and_change_nothing(client, reader, path, data):
    CommentFactory(pk=1, pending=True)
    for who in (None, reader, UserFactory(username="member")):
        if who is not None:
            client.force_login(who)
        assert client.post(path, data).status_code == 403
    assert status_of(Comment.objects.get(pk=1)) == CommentStatus.PENDING
    assert not Ban.objects.exists() and not Rule.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_superuser_is_a_moderator(client):
    client.force_login(UserFactory(staff=True))
    assert client.get("/moderate/").status_code == 200


def test_the_group_holds_the_permission(moderator):
    assert moderator.has_perm("moderation.moderate_comments")


def test_writes_need_the_csrf_token(moderator):
    comment = CommentFactory(pending=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    assert (
        client.post("/moderate/act/", {"action": "approve", "ids": comment.pk}).status_code == 403
    )
    assert status_of(comment) == CommentStatus.PENDING


def test_the_queue_shows_each_comment_with_its_post_reason_score_and_history(staff):
    earlier = CommentFactory(email="ines@example.net", body="An earlier, approved thought.")
    CommentFactory(email="ines@example.net", spam=True)
    held = CommentFactory(
        pending=True,
        email="ines@example.net",
        status_reason="3 links (more than 2)",
        spam_score=0.4321,
        body="Held for its links.",
    )
    page = staff.get("/moderate/").content.decode()
    assert held.post.title in page
    assert "3 links (more than 2)" in page and "0.432" in page
    assert "1 approved, 1 spam" in page
    assert earlier.body[:20] in page
    assert 'data-key="a"' in page and 'aria-keyshortcuts="s"' in page


def test_the_tabs_count_and_filter(staff):
    CommentFactory.create_batch(2, pending=True, body="about the ferry")
    CommentFactory(pending=True, body="about the harbour")
    CommentFactory(spam=True)
    response = staff.get("/moderate/?tab=pending&q=ferry")
    assert 'value="tab=pending' not in response.content.decode()  # the site's own search box
    assert [item.comment.body for item in response.context["items"]] == ["about the ferry"] * 2
    counts = response.context["counts"]
    assert (counts["pending"], counts["spam"], counts["approved"], counts["reported"]) == (
        3,
        1,
        0,
        0,
    )


def test_the_queue_asks_the_same_questions_for_one_comment_or_fifty(
    staff, django_assert_max_num_queries
):
    CommentFactory(pending=True)
    with django_assert_max_num_queries(14) as one:
        staff.get("/moderate/")
    for n in range(49):
        CommentFactory(pending=True, email=f"reader{n}@example.net")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = staff.get("/moderate/")
    assert len(response.context["items"]) == 50


def test_one_click_approves_audits_and_returns_to_the_queue(staff, moderator):
    comment = CommentFactory(pending=True)
    response = staff.post(
        "/moderate/act/", {"action": "approve", "ids": comment.pk, "next": "/moderate/?tab=pending"}
    )
    assert response.status_code == 302 and response["Location"] == "/moderate/?tab=pending"
    assert status_of(comment) == CommentStatus.APPROVED
    assert AuditEntry.objects.get().actor == moderator


def test_a_next_address_off_the_site_is_ignored(staff):
    comment = CommentFactory(pending=True)
    response = staff.post(
        "/moderate/act/", {"action": "spam", "ids": comment.pk, "next": "https://evil.example/"}
    )
    assert response["Location"].startswith("/moderate/?")


def test_a_script_gets_json_with_the_new_counts(staff):
    comment = CommentFactory(pending=True)
    response = staff.post("/moderate/act/", {"action": "spam", "ids": comment.pk}, **JSON)
    found = json.loads(response.content)
    assert found["counts"]["spam"] == 1 and found["counts"]["pending"] == 0
    assert "marked spam" in found["message"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"action": "obliterate", "ids": "1"}, "“obliterate” is not a moderation action"),
        ({"action": "approve"}, "Choose at least one comment."),
        ({"action": "approve", "ids": "one"}, "Comment ids must be numbers."),
        ({"action": "approve", "ids": "99999"}, "That comment does not exist."),
        ({"action": "restore", "ids": "1"}, "only spam and removed comments can be restored"),
    ],
)
def test_bad_actions_get_a_clear_error_and_change_nothing(staff, data, error):
    CommentFactory(pk=1, pending=True)
    response = staff.post("/moderate/act/", data)
    assert response.status_code == 400
    assert error in response.content.decode()
    response = staff.post("/moderate/act/", data, **JSON)
    assert response.status_code == 400 and error in " ".join(json.loads(response.content)["errors"])
    assert status_of(Comment.objects.get(pk=1)) == CommentStatus.PENDING
    assert not AuditEntry.objects.exists()


def test_bulk_on_the_selected_comments(staff):
    chosen = CommentFactory.create_batch(3, pending=True)
    left = CommentFactory(pending=True)
    data = {"action": "remove", "scope": "selected", "ids": [c.pk for c in chosen]}
    staff.post("/moderate/act/", data)
    assert [status_of(c) for c in chosen] == [CommentStatus.REMOVED] * 3
    assert status_of(left) == CommentStatus.PENDING
    assert AuditEntry.objects.filter(action=AuditAction.REMOVE).count() == 3


def test_bulk_on_everything_matching_a_filter(staff):
    ferry = CommentFactory.create_batch(60, pending=True, body="ferry timetable spam")
    harbour = CommentFactory(pending=True, body="harbour")
    data = {"action": "spam", "scope": "all", "tab": "pending", "q": "ferry"}
    response = staff.post("/moderate/act/", data, follow=True)
    assert "60 comments marked spam." in response.content.decode()
    assert {status_of(c) for c in ferry} == {CommentStatus.SPAM}
    assert status_of(harbour) == CommentStatus.PENDING


def test_approve_everything_from_this_commenter(staff):
    mine = CommentFactory.create_batch(2, pending=True, email="ines@example.net")
    theirs = CommentFactory(pending=True, email="argon@example.net")
    staff.post("/moderate/act/", {"action": "approve_commenter", "ids": mine[0].pk})
    assert [status_of(c) for c in mine] == [CommentStatus.APPROVED] * 2
    assert status_of(theirs) == CommentStatus.PENDING


def test_restore_after_spam_from_the_spam_tab(staff):
    comment = CommentFactory()
    staff.post("/moderate/act/", {"action": "spam", "ids": comment.pk})
    page = staff.get("/moderate/?tab=spam").content.decode()
    assert "Not spam: restore" in page
    staff.post("/moderate/act/", {"action": "restore", "ids": comment.pk})
    assert status_of(comment) == CommentStatus.APPROVED


def test_the_comment_page_shows_every_decision_and_report(staff, moderator):
    comment = CommentFactory(pending=True)
    for action in ("approve", "spam", "restore"):
        staff.post("/moderate/act/", {"action": action, "ids": comment.pk})
    Client(REMOTE_ADDR="192.0.2.9").post(f"/moderate/report/{comment.pk}/", {"reason": "spam"})
    page = staff.get(f"/moderate/comments/{comment.pk}/").content.decode()
    assert page.count(f"<strong>{moderator.username}</strong>") == 3
    assert "spam → approved" in page
    assert "1 open report:" in page
    staff.post("/moderate/act/", {"action": "approve", "ids": comment.pk})
    page = staff.get(f"/moderate/comments/{comment.pk}/").content.decode()
    assert "open report" not in page
    assert f"(resolved {timezone.localdate():%-d %b %Y} by {moderator.username})" in page


def test_the_audit_log_filters_by_action_and_person(staff, moderator):
    first, second = CommentFactory(pending=True), CommentFactory(pending=True)
    staff.post("/moderate/act/", {"action": "approve", "ids": first.pk})
    staff.post("/moderate/act/", {"action": "spam", "ids": second.pk})
    response = staff.get(f"/moderate/audit/?action=spam&actor={moderator.username}")
    assert [e.comment_id for e in response.context["page"]] == [second.pk]
    response = staff.get("/moderate/audit/?actor=nobody")
    assert list(response.context["page"]) == []
    response = staff.get("/moderate/audit/?since=not-a-date")
    assert response.status_code == 200 and "Enter a valid date." in response.content.decode()


def test_bans_form_errors_change_nothing_and_a_good_ban_is_listed(staff):
    response = staff.post("/moderate/bans/", {"kind": "network", "value": "10.1.2.0/40"})
    assert response.status_code == 400
    assert "is not an IP address or range" in response.content.decode()
    assert not Ban.objects.exists()
    response = staff.post(
        "/moderate/bans/",
        {"kind": "network", "value": "203.0.113.0/24", "reason": "a bot", "expires_in_days": "7"},
        follow=True,
    )
    assert "203.0.113.0/24" in response.content.decode()
    ban = Ban.objects.get()
    assert ban.expires_at is not None
    staff.post(f"/moderate/bans/{ban.pk}/lift/")
    ban.refresh_from_db()
    assert ban.lifted_at is not None


def test_a_rule_is_tried_before_it_is_saved(staff):
    CommentFactory(body="The chair is a scoundrel.")
    CommentFactory.create_batch(2, body="A fair point.")
    data = {"kind": "word", "list_name": "suspect", "pattern": "Scoundrel"}
    response = staff.post("/moderate/rules/", {**data, "step": "trial"})
    page = response.content.decode()
    assert "would have caught 1 of the last 3 comments" in page
    assert "The chair is a scoundrel." in page
    assert not Rule.objects.exists()
    staff.post("/moderate/rules/", {**data, "step": "save"})
    assert Rule.objects.get().pattern == "Scoundrel"


def test_a_broad_rule_asks_twice(staff):
    CommentFactory.create_batch(3, body="The harbour again.")
    data = {"kind": "word", "list_name": "suspect", "pattern": "harbour", "step": "save"}
    response = staff.post("/moderate/rules/", data)
    assert response.status_code == 400
    assert "more than half" in response.content.decode()
    assert not Rule.objects.exists()
    staff.post("/moderate/rules/", {**data, "confirm_broad": "on"})
    assert Rule.objects.filter(pattern="harbour").exists()


def test_an_empty_word_is_a_form_error(staff):
    response = staff.post(
        "/moderate/rules/", {"kind": "word", "list_name": "banned", "pattern": " ", "step": "save"}
    )
    assert response.status_code == 400
    assert "Enter a word or phrase" in response.content.decode()
    assert not Rule.objects.exists()


def test_switching_a_rule_off(staff):
    rule = RuleFactory()
    staff.post(f"/moderate/rules/{rule.pk}/off/")
    rule.refresh_from_db()
    assert not rule.is_active


def test_the_dashboard_draws_accessible_charts(staff):
    CommentFactory.create_batch(2)
    CommentFactory(pending=True)
    page = staff.get("/moderate/dashboard/").content.decode()
    assert page.count('role="img"') == 1  # no reasons yet: a sentence instead of a chart
    assert '<title id="daily-title">Comments per day by outcome, last 30 days</title>' in page
    assert "In all: 2 approved, 1 held, 0 spam, 0 removed." in page
    assert "style=" not in page


class TestReports:
    def test_a_reader_reports_with_a_reason(self, client):
        comment = CommentFactory()
        response = client.get(f"/moderate/report/{comment.pk}/")
        assert response.status_code == 200 and "Spam or advertising" in response.content.decode()
        response = client.post(
            f"/moderate/report/{comment.pk}/", {"reason": "abuse", "detail": "name-calling"}
        )
        assert "Thank you" in response.content.decode()
        report = Report.objects.get()
        assert (report.reason, report.detail) == ("abuse", "name-calling")

    def test_a_second_report_from_the_same_reader_is_not_counted(self, client):
        comment = CommentFactory()
        for _ in range(2):
            response = client.post(f"/moderate/report/{comment.pk}/", {"reason": "spam"})
        assert "already reported" in response.content.decode()
        assert Report.objects.count() == 1

    def test_three_readers_hide_a_comment(self, settings):
        settings.REPORTS_TO_HIDE = 3
        comment = CommentFactory()
        for n in range(3):
            Client(REMOTE_ADDR=f"192.0.2.{n}").post(
                f"/moderate/report/{comment.pk}/", {"reason": "abuse"}
            )
        assert status_of(comment) == CommentStatus.PENDING
        assert AuditEntry.objects.get().action == AuditAction.REPORTED

    def test_an_unknown_reason_is_a_form_error(self, client):
        comment = CommentFactory()
        response = client.post(f"/moderate/report/{comment.pk}/", {"reason": "boredom"})
        assert response.status_code == 400
        assert not Report.objects.exists()

    def test_only_published_comments_can_be_reported(self, client):
        for comment in (CommentFactory(pending=True), CommentFactory(spam=True)):
            assert client.get(f"/moderate/report/{comment.pk}/").status_code == 404

    @pytest.mark.usefixtures("one_rate_window")
    def test_reports_are_rate_limited_per_address(self, client, settings):
        settings.REPORT_RATE_LIMIT = 2
        comments = CommentFactory.create_batch(3)
        for comment in comments[:2]:
            client.post(f"/moderate/report/{comment.pk}/", {"reason": "spam"})
        response = client.post(f"/moderate/report/{comments[2].pk}/", {"reason": "spam"})
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        assert Report.objects.count() == 2

    def test_the_post_page_offers_a_report_link(self, client):
        comment = CommentFactory(body="A reader's view.")
        page = client.get(comment.post.get_absolute_url()).content.decode()
        assert f'href="/moderate/report/{comment.pk}/"' in page
