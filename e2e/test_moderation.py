"""A moderator's journey in Chromium: a held comment reaches the queue, is approved from the
keyboard, and appears on the post; a reader reports a comment; nothing breaks the CSP."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from playwright.sync_api import Page, expect

from masthead.discussion.models import Comment, CommentStatus
from masthead.moderation.models import AuditEntry
from masthead.people.tests.factories import UserFactory
from masthead.publishing import demo_content
from masthead.publishing.models import Post

SCREENSHOTS = django_settings.BASE_DIR / "var" / "screenshots"
PASSWORD = "correct horse battery staple"  # noqa: S105 (the factories' test password)
pytestmark = pytest.mark.django_db(transaction=True)
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def demo_post(live_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    call_command("demo")
    return Post.objects.get(slug=demo_content.POSTS[0]["slug"])


@pytest.fixture
def moderator():
    # A transactional test empties every table after it, the migration's group included.
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(Permission.objects.get(codename="moderate_comments"))
    user = UserFactory(username="moira", is_staff=True)
    user.groups.add(group)
    return user


def _serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def _sign_in(page: Page, base: str, next_path: str) -> None:
    page.goto(f"{base}{next_path}")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.get_by_label("Username").fill("moira")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(re.escape(next_path)))


def test_a_held_comment_is_approved_from_the_keyboard_and_appears_on_the_post(
    page: Page, browser, live_server, demo_post, moderator
):
    post_url = live_server.url + demo_post.get_absolute_url()
    reader = browser.new_context().new_page()
    reader.goto(post_url)
    form = reader.locator("#respond")
    form.get_by_label("Name", exact=True).fill("Wren Hollis")
    form.get_by_label("Email", exact=True).fill("wren.hollis@example.net")
    form.get_by_label("Comment").fill("First time here: the dredging clause worries me most.")
    form.get_by_role("button", name="Post comment").click()
    expect(reader.locator("article.comment", has_text="dredging clause")).to_contain_text(
        "Awaiting moderation"
    )
    held = Comment.objects.get(name="Wren Hollis")
    assert held.status == CommentStatus.PENDING

    page.add_init_script(RECORD_VIOLATIONS)
    _sign_in(page, live_server.url, "/moderate/")
    item = page.locator(f"#mod-{held.pk}")
    expect(item).to_contain_text("First time here")
    expect(item).to_contain_text(held.status_reason)
    expect(item).to_contain_text(demo_post.title)
    assert _serious_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "moderation-queue.png", full_page=True)

    page.keyboard.press("j")
    expect(item).to_be_focused()
    page.keyboard.press("a")
    expect(item).to_have_count(0)
    expect(page.locator("#mod-live")).to_contain_text("approved by moira")
    expect(page.locator('.mod-tabs [data-count="pending"]')).to_have_text("0")

    held.refresh_from_db()
    assert held.status == CommentStatus.APPROVED
    assert AuditEntry.objects.filter(comment=held, actor=moderator).count() == 1
    anonymous = browser.new_context().new_page()
    anonymous.goto(post_url)
    shown = anonymous.locator(f"#comment-{held.number}")
    expect(shown).to_contain_text("the dredging clause worries me most")
    expect(shown).not_to_contain_text("Awaiting moderation")
    assert page.evaluate("window.__cspViolations") == []


def test_the_demo_spam_is_in_the_spam_tab_and_can_be_restored(
    page: Page, live_server, demo_post, moderator
):
    page.add_init_script(RECORD_VIOLATIONS)
    _sign_in(page, live_server.url, "/moderate/?tab=spam")
    spam = Comment.objects.get(post=demo_post, number=demo_content.COMMENT_ROLES["spam"])
    item = page.locator(f"#mod-{spam.pk}")
    expect(item).to_contain_text("spam score")
    item.get_by_role("button", name="Not spam: restore").click()
    expect(item).to_have_count(0)
    spam.refresh_from_db()
    assert spam.status == CommentStatus.APPROVED
    for path in ["/moderate/dashboard/", "/moderate/audit/", "/moderate/rules/", "/moderate/bans/"]:
        page.goto(live_server.url + path)
        expect(page.locator("h1")).to_be_visible()
        assert _serious_violations(page) == [], path
    page.goto(live_server.url + "/moderate/dashboard/")
    expect(page.locator("svg.chart").first).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []


def test_a_reader_reports_a_comment(page: Page, live_server, demo_post):
    page.goto(live_server.url + demo_post.get_absolute_url())
    page.get_by_role("link", name="Report comment 1 by Argon").click()
    expect(page.locator("h1")).to_have_text("Report comment #1")
    page.get_by_label("Off topic").check()
    page.get_by_label("Anything the moderators should know (optional)").fill("Not about the vote.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you")
    comment = Comment.objects.get(post=demo_post, number=1)
    assert comment.reports.get().detail == "Not about the vote."
