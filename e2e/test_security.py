"""The Content Security Policy in a real browser: site and admin work with nothing blocked."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from masthead.people.tests.factories import UserFactory
from masthead.publishing.models import Post

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"  # noqa: S105 (the factories' test password)

# Runs before any page script and outside the page's CSP: it records every violation.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""
INJECT_INLINE_SCRIPT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.__injectedRan = true";
  document.body.append(script);
}"""


@pytest.fixture
def watched(page: Page):
    """The page, plus every CSP complaint the browser makes on it (console or event)."""
    complaints = []
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)

    def violations():
        return complaints + page.evaluate("window.__cspViolations || []")

    return page, violations


def test_reader_pages_run_under_the_policy_without_violations(watched, live_server):
    page, violations = watched
    call_command("demo")
    post = Post.objects.filter(status="published").first()
    for path in ["/", post.get_absolute_url(), "/search/?q=harbour", "/account/password-reset/"]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert violations() == [], path
    page.goto(live_server.url + post.get_absolute_url())
    assert page.locator('script[type="application/ld+json"][nonce]').count() == 1
    # And the watch is real: an injected inline script is blocked and reported.
    page.evaluate(INJECT_INLINE_SCRIPT)
    assert page.evaluate("window.__injectedRan") is None
    assert any("script-src" in violation for violation in violations())


def test_staff_work_in_the_admin_without_violations(watched, live_server):
    page, violations = watched
    call_command("demo")
    UserFactory(username="editor", staff=True)
    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("link", name="Forgotten your login credentials?")).to_be_visible()
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()
    post = Post.objects.first()
    for path in [
        "/admin/",
        "/admin/publishing/post/",
        "/admin/publishing/post/add/",
        f"/admin/publishing/post/{post.pk}/change/",
        "/admin/people/user/",
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert violations() == [], path
    # The admin's own scripts still run: the changelist's action checkbox toggles every row.
    page.goto(live_server.url + "/admin/publishing/post/")
    page.locator("#action-toggle").check()
    expect(page.locator("input.action-select").first).to_be_checked()
    assert violations() == []


def test_the_site_refuses_to_be_framed(watched, live_server):
    page, _ = watched
    page.goto(live_server.url + "/")
    page.set_content(f'<iframe id="framed" src="{live_server.url}/"></iframe>')
    frame = page.frame_locator("#framed")
    expect(frame.locator("header.site-header")).to_have_count(0)
