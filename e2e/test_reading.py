"""A reader's journey through the demo site, in Chromium."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from defusedxml import ElementTree
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import Page, expect

from masthead.publishing import demo_content

SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots"
ATOM = "{http://www.w3.org/2005/Atom}"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(live_server):
    call_command("demo")
    return live_server.url


def _serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_reader_opens_the_demo_post_searches_and_follows_the_feed(page: Page, demo):
    model = demo_content.POSTS[0]
    page.goto(demo + "/")
    assert _serious_violations(page) == []
    page.get_by_role("link", name=model["title"]).first.click()

    expect(page.locator("h1")).to_have_text(model["title"])
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgba(0, 0, 0, 0)", "the site's stylesheet did not load"
    caption = page.locator(".featured-image figcaption")
    expect(caption).to_contain_text(demo_content.IMAGE["caption"])
    image = page.locator(".featured-image img")
    expect(image).to_have_attribute("alt", demo_content.IMAGE["alt_text"])
    assert image.evaluate("img => img.naturalWidth") > 0
    expect(page.locator(".post-body figure.quote figcaption cite")).to_be_visible()

    filed = page.locator(".filed-under")
    expect(filed).to_contain_text("Filed under")
    links = filed.locator("a")
    names = [name.strip() for name in links.all_inner_texts()]
    assert len(names) == len(model["categories"]) + len(model["tags"])
    assert all(names), names
    assert not re.search(r",\s*,|,\s*;|;\s*$", filed.inner_text())

    box = page.locator(".author-box")
    expect(box).to_contain_text(demo_content.AUTHORS[0]["display_name"])
    expect(box).to_contain_text("Retired")
    expect(box).to_contain_text(re.compile(r"\d+ posts?"))
    expect(page.locator("#comments h2")).to_contain_text("Discussion")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "post.png"), full_page=True)
    assert (SCREENSHOTS / "post.png").stat().st_size > 10_000
    assert _serious_violations(page) == []

    page.get_by_role("searchbox", name="Search").fill("harbour")
    page.get_by_role("searchbox", name="Search").press("Enter")
    expect(page.locator(".result-count")).to_contain_text("for “harbour”")
    expect(page.get_by_role("link", name=model["title"])).to_be_visible()
    expect(page.locator(".snippet mark").first).to_be_visible()

    atom_url = page.locator("footer a", has_text="Atom").get_attribute("href")
    response = page.request.get(demo + atom_url)
    assert response.ok
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.body())
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert model["title"] in titles


def test_unknown_address_shows_the_styled_not_found_page(page: Page, demo):
    response = page.goto(demo + "/nowhere/at/all/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("We couldn't find that page")
    assert page.locator("header.site-header").is_visible()


def test_pages_read_without_javascript(browser, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo + "/")
    expect(page.locator("article.post-card").first).to_be_visible()
    context.close()


def test_keyboard_reaches_the_content_first(page: Page, demo):
    page.goto(demo + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"


def test_the_live_servers_threads_share_a_database_file(live_server):
    """See the e2e conftest: on SQLite, a file in WAL mode, where a write waits for a reader."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL runs its own server")
    assert not connection.is_in_memory_db()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
