"""A reader's discussion in Chromium: post, reply, edit, and see another reader's comment arrive.

The page cache is on, as in production: a reader without a comment of their own gets the shared
page, whose comment form arrives after it loads (or, without JavaScript, on a page of its own).
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from playwright.sync_api import Page, expect

from masthead.core.tests.pagecache_fixtures import page_cache  # noqa: F401
from masthead.publishing.tests.factories import PostFactory

SCREENSHOTS = django_settings.BASE_DIR / "var" / "screenshots"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def post_url(live_server, settings, page_cache):  # noqa: F811 (the imported fixture)
    settings.COMMENT_POLL_SECONDS = 1
    # The journey is discussion's; moderation's first-time holds are tested in moderation.
    settings.COMMENT_PIPELINE = "masthead.discussion.pipeline.default_decision"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    post = PostFactory(published=True, title="The harbour vote, explained")
    return live_server.url + post.get_absolute_url()


def _serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def _post_comment(form, body, *, name="Ines Maro", email="ines@example.net", remember=False):
    expect(form.get_by_label("Comment")).to_be_visible()  # a shared page loads its form
    if form.get_by_label("Name", exact=True).count():
        form.get_by_label("Name", exact=True).fill(name)
        form.get_by_label("Email", exact=True).fill(email)
    if remember:
        form.get_by_label("Remember my name and email here").check()
    form.get_by_label("Comment").fill(body)
    form.get_by_role("button", name=re.compile(r"^Post (comment|reply)$")).click()


def test_a_guest_posts_replies_edits_and_sees_another_readers_comment_arrive(
    page: Page, browser, post_url
):
    response = page.goto(post_url)
    assert response.headers.get("set-cookie") is None
    page.evaluate("window.notReloaded = true")
    expect(page.locator("#discussion .empty")).to_contain_text("No comments yet")
    expect(page.locator("form#respond")).to_contain_text("Join the discussion")
    assert _serious_violations(page) == []

    _post_comment(page.locator("#respond"), "The *annex* decides this.", remember=True)
    first = page.locator("#comment-1")
    expect(first).to_contain_text("1. Ines Maro says:")
    expect(first.locator(".comment-body em")).to_have_text("annex")
    expect(page.locator("#comment-count")).to_have_text("(1 comment)")
    expect(first).to_be_focused()

    first.get_by_role("link", name="Reply to Ines Maro, comment 1").click()
    reply_form = page.locator("#reply-form-1")
    expect(reply_form.get_by_label("Comment")).to_be_focused()
    expect(reply_form.get_by_label("Name", exact=True)).to_have_value("Ines Maro")
    _post_comment(reply_form, "And the annex is still secret.")
    nested = page.locator("li:has(> #comment-1) > ol.comment-replies > li > #comment-2")
    expect(nested).to_contain_text("And the annex is still secret.")

    nested.get_by_role("link", name="Edit comment 2").click()
    editor = page.locator("#comment-2 textarea")
    expect(editor).to_be_focused()
    expect(editor).to_have_value("And the annex is still secret.")
    editor.fill("And the annex is **still** secret, a week on.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#comment-2 .comment-body strong")).to_have_text("still")
    expect(page.locator("#comment-2")).to_contain_text("edited")
    expect(page.locator("#comment-2")).to_be_focused()

    other = browser.new_context()
    second = other.new_page()
    assert second.goto(post_url).headers.get("x-masthead-cache") == "miss"
    assert other.request.get(post_url).headers.get("x-masthead-cache") == "hit"
    expect(second.locator("#comment-2 .comment-edit")).to_have_count(0)
    second.evaluate("document.getElementById('comment-1').dataset.seen = 'yes'")
    _post_comment(second.locator("#respond"), "From a second browser.", name="Argon",
                  email="argon@example.net")  # fmt: skip
    # Added at the end of the thread on screen, which is not drawn again, with a fresh form.
    added = second.locator("#comment-list > li:last-child > #comment-3")
    expect(added).to_contain_text("3. Argon says:")
    expect(added).to_contain_text("From a second browser.")
    expect(added).to_be_focused()
    expect(second.locator("#comment-1")).to_have_attribute("data-seen", "yes")
    expect(second.locator("#respond").get_by_label("Comment")).to_have_value("")
    expect(second.locator("#comment-count")).to_have_text("(3 comments)")
    other.close()

    bar = page.locator(".new-comments-bar")
    expect(bar).to_contain_text("1 new comment", timeout=10_000)
    expect(page.locator("#comment-3")).to_have_count(0)
    bar.click()
    arrived = page.locator("#comment-3")
    expect(arrived).to_contain_text("From a second browser.")
    expect(arrived).to_have_class(re.compile(r"\bis-new\b"))
    expect(arrived).to_be_focused()
    expect(page.locator("#comment-count")).to_have_text("(3 comments)")
    assert page.evaluate("window.notReloaded") is True, "the page reloaded"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "discussion.png"), full_page=True)
    assert _serious_violations(page) == []


def test_the_discussion_works_without_javascript(browser, post_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(post_url)
    page.get_by_role("link", name="Write a comment").click()
    expect(page.locator("h1")).to_have_text("Write a comment")
    expect(page.locator(".write-post")).to_contain_text("The harbour vote, explained")
    _post_comment(page.locator("#respond"), "   ")
    expect(page.locator("#respond")).to_contain_text("Your comment is empty.")
    _post_comment(page.locator("#respond"), "Posted the old way.")
    expect(page).to_have_url(re.compile(r"#comment-1$"))
    expect(page.locator("#comment-1")).to_contain_text("Posted the old way.")
    page.locator("#comment-1").get_by_role("link", name=re.compile("^Reply")).click()
    expect(page.locator(".write-reply-to")).to_contain_text("Posted the old way.")
    reply = page.locator("#reply-form-1")
    expect(reply).to_contain_text("Reply to #1 Ines Maro")
    _post_comment(reply, "A reply without scripts.")
    expect(page).to_have_url(re.compile(r"#comment-2$"))
    expect(page.locator("li:has(> #comment-1) #comment-2")).to_contain_text("without scripts")
    context.close()


def test_the_write_page_passes_axe(page: Page, live_server):
    post = PostFactory(published=True, title="The ferry timetable")
    page.goto(f"{live_server.url}/comments/{post.slug}/write/")
    expect(page.locator("h1")).to_have_text("Write a comment")
    assert _serious_violations(page) == []


def test_the_demo_thread_reads_well_in_dark_mode_and_passes_axe(browser, live_server):
    from django.core.management import call_command

    from masthead.publishing import demo_content

    call_command("demo")
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    slug = demo_content.POSTS[0]["slug"]
    page.goto(f"{live_server.url}/comments/{slug}/12/")
    expect(page.locator("#comment-12")).to_contain_text("in reply to #10 Ines Maro")
    page.locator("#comment-12").get_by_role("link", name="in reply to #10 Ines Maro").click()
    expect(page).to_have_url(re.compile(r"#comment-10$"))
    assert _serious_violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#comments").screenshot(path=str(SCREENSHOTS / "discussion-dark.png"))
    context.close()
