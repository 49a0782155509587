"""Hostile comments and imports in Chromium: well over a hundred XSS payloads go in through the
comment service, the comment form, the JSON API and a WordPress import; the post pages, the
moderators' queue, the admin and the feeds then render them, and none of them runs.

Every payload would set ``top.__xss`` or open a dialog if it ran. The page records CSP
violations before any of its own scripts, and the pages are checked to report none: a payload
that the policy merely blocked would still be a failure of escaping."""

import re
from xml.sax.saxutils import escape

import pytest
from playwright.sync_api import Page, expect
from xss_payloads import (
    ATTRIBUTE_BREAKOUTS,
    EVENT_HANDLERS,
    MARKDOWN_TRICKS,
    PAYLOADS,
    RUN,
    SVG_AND_MATHML,
    VALID_HOSTILE_URLS,
)

from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.pipeline import SubmissionContext
from masthead.discussion.services import comment_status_set, comment_submit
from masthead.importers.wordpress import wordpress_import
from masthead.people.tests.factories import UserFactory
from masthead.publishing.models import Post
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"  # noqa: S105 (the factories' test password)
WATCH = """
window.__xss = 0;
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""
INJECT_HANDLER = """() => {
  const img = document.createElement("img");
  img.setAttribute("onerror", "top.__xss = 1");
  img.src = "/missing.png";
  document.body.append(img);
}"""
CONTEXT = {"ip_address": "192.0.2.10", "user_agent": "Chromium"}
XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@pytest.fixture
def hostile_site(live_server, settings):
    # Every payload must reach the page: approve all (moderation's holds are tested there),
    # no rate limits, one page of comments, no page cache between the writes and the reads.
    settings.COMMENT_PIPELINE = "masthead.discussion.pipeline.default_decision"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.API_COMMENT_RATE_LIMIT = 10_000
    settings.API_RATE_LIMIT = 10_000
    settings.COMMENTS_PER_PAGE = 1_000
    settings.PAGE_CACHE_SECONDS = 0
    settings.COMMENT_POLL_SECONDS = 1
    post = PostFactory(published=True, title=f"Letters <script>{RUN}</script> page")
    context = SubmissionContext(post=post, **CONTEXT)
    for index, payload in enumerate(PAYLOADS):
        breakout = _breakout(index)
        comment = comment_submit(
            post=post,
            body=payload,
            context=context,
            name=f"{index} {breakout}"[:80],
            email=f"reader{index}@example.net",
            url=breakout if index % 2 else VALID_HOSTILE_URLS[index % 2],
        )
        if index % 10 == 3:
            comment_status_set(comment=comment, status=CommentStatus.PENDING, reason=payload[:200])
        elif index % 10 == 7:
            comment_status_set(comment=comment, status=CommentStatus.SPAM, reason="spam score 0.99")
    return post


def _breakout(index: int) -> str:
    return ATTRIBUTE_BREAKOUTS[index % len(ATTRIBUTE_BREAKOUTS)]


def _wxr(payloads: list[str]) -> str:
    clean = [XML_INVALID.sub("", p) for p in payloads]
    comments = "".join(
        f"""<wp:comment><wp:comment_id>{i + 1}</wp:comment_id>
<wp:comment_author>{escape(_breakout(i))}</wp:comment_author>
<wp:comment_author_email>w{i}@example.org</wp:comment_author_email>
<wp:comment_author_url>{escape(_breakout(i + 1))}</wp:comment_author_url>
<wp:comment_date_gmt>2026-03-04 10:{i % 60:02d}:00</wp:comment_date_gmt>
<wp:comment_content>{escape(body)}</wp:comment_content>
<wp:comment_approved>{"0" if i % 9 == 4 else "1"}</wp:comment_approved>
<wp:comment_type>comment</wp:comment_type><wp:comment_parent>0</wp:comment_parent>
</wp:comment>"""
        for i, body in enumerate(clean)
    )
    hostile = escape(f"<svg onload={RUN}>")
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Hostile</title><link>https://old.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.example.org</wp:base_site_url>
<wp:author><wp:author_id>2</wp:author_id><wp:author_login>mallory</wp:author_login>
<wp:author_display_name>{escape(ATTRIBUTE_BREAKOUTS[0])}</wp:author_display_name></wp:author>
<wp:category><wp:term_id>4</wp:term_id><wp:category_nicename>hostile</wp:category_nicename>
<wp:category_parent></wp:category_parent><wp:cat_name>{hostile}</wp:cat_name>
<wp:category_description>{escape(ATTRIBUTE_BREAKOUTS[1])}</wp:category_description>
</wp:category>
<item><title>Imported {hostile} "&gt;&lt;img src=x onerror={RUN}&gt;</title>
<dc:creator>mallory</dc:creator>
<content:encoded>{escape("".join(f"<p>{p}</p>" for p in clean))}</content:encoded>
<excerpt:encoded>{escape(f"<img src=x onerror={RUN}>")}</excerpt:encoded>
<wp:post_id>101</wp:post_id><wp:post_date_gmt>2026-03-03 21:15:00</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status><wp:post_name>imported-hostile</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="hostile">{hostile}</category>
{comments}
</item></channel></rss>"""


class Watch:
    """The page's sentinel, dialogs and CSP complaints, checked after every load."""

    def __init__(self, page: Page):
        self.page, self.dialogs, self.console = page, [], []
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.add_init_script(WATCH)
        self.pages = 0

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def check(self, where: str, *, html: bool = True) -> None:
        self.page.wait_for_timeout(300)
        sentinel = self.page.evaluate("window.__xss")
        violations = self.page.evaluate("window.__cspViolations || []")
        assert sentinel == 0 if html else not sentinel, where
        assert self.dialogs == [], where
        assert violations == [] and self.console == [], where
        self.pages += 1

    def visit(self, url: str, where: str) -> None:
        response = self.page.goto(url)
        assert response.status == 200, where
        assert "html" in response.headers["content-type"], where
        self.check(where)


def _sign_in(page: Page, base: str) -> None:
    UserFactory(username="editor", staff=True)
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()


def test_no_payload_runs_anywhere_it_is_shown(page: Page, live_server, hostile_site, tmp_path):
    assert len(PAYLOADS) >= 100
    base, post = live_server.url, hostile_site
    watch = Watch(page)
    through_service = Comment.objects.filter(post=post).count()
    assert through_service == len(PAYLOADS)

    # The real form, in the browser: a preview, then posting, with hostile name and website.
    by_form = PAYLOADS[:: len(PAYLOADS) // 6][:6]
    for index, payload in enumerate(by_form):
        watch.visit(f"{base}/comments/{post.slug}/write/", "write page")
        form = page.locator("#respond")
        form.get_by_label("Name", exact=True).fill(ATTRIBUTE_BREAKOUTS[index][:80])
        form.get_by_label("Email", exact=True).fill(f"form{index}@example.net")
        form.get_by_label("Website").fill(VALID_HOSTILE_URLS[index % 2])
        form.get_by_label("Comment").fill(payload)
        form.get_by_role("button", name="Preview").click()
        expect(page.locator(".comment-preview")).to_be_visible()
        watch.check("comment preview")
        page.locator("#respond").get_by_role("button", name="Post comment").click()
        expect(page).to_have_url(re.compile(r"#comment-\d+$"))
        watch.check("post page after the form")

    # The real API, over HTTP.
    by_api = PAYLOADS[1::9][:12]
    for index, payload in enumerate(by_api):
        answer = page.request.post(
            f"{base}/api/v1/posts/{post.slug}/comments",
            data={
                "body": payload,
                "name": ATTRIBUTE_BREAKOUTS[index % len(ATTRIBUTE_BREAKOUTS)][:80],
                "email": f"api{index}@example.net",
                "url": VALID_HOSTILE_URLS[index % 2],
            },
        )
        assert answer.status == 201, answer.text()

    # The htmx form on the post page, and a comment that arrives while the page is open.
    by_htmx = [EVENT_HANDLERS[0], SVG_AND_MATHML[4]]
    for index, payload in enumerate(by_htmx):
        watch.visit(base + post.get_absolute_url(), "post page before htmx")
        number = Comment.objects.filter(post=post).count() + 1
        form = page.locator("#respond")
        expect(form.get_by_label("Comment")).to_be_visible()
        form.get_by_label("Name", exact=True).fill(_breakout(index + 3)[:80])
        form.get_by_label("Email", exact=True).fill(f"htmx{index}@example.net")
        form.get_by_label("Comment").fill(payload)
        form.get_by_role("button", name="Post comment").click()
        expect(page.locator(f"#comment-{number}")).to_contain_text(payload)
        watch.check("post page after htmx")
    arriving = MARKDOWN_TRICKS[0]
    comment_submit(
        post=post,
        body=arriving,
        context=SubmissionContext(post=post, **CONTEXT),
        name=_breakout(5),
        email="late@example.net",
    )
    bar = page.locator(".new-comments-bar")
    expect(bar).to_contain_text("1 new comment", timeout=10_000)
    bar.click()
    expect(page.locator(f"#comment-{number + 1}")).to_be_attached()
    watch.check("post page after the poll")

    # A WordPress export with the payloads in every field it carries.
    wxr = tmp_path / "hostile.xml"
    wxr.write_text(_wxr(PAYLOADS), encoding="utf-8")
    wordpress_import(wxr)
    imported = Post.objects.get(slug="imported-hostile")
    assert imported.comments.count() == len(PAYLOADS)

    # Readers' pages.
    for shown in [post, imported]:
        post_url = shown.get_absolute_url()
        watch.visit(base + post_url, post_url)
        approved = shown.comments.filter(status=CommentStatus.APPROVED).count()
        assert approved >= 60, approved
        expect(page.locator("#comments article.comment")).to_have_count(approved)
        expect(page.locator("#comments")).to_contain_text(f"<svg onload={RUN}>")
        page.locator("#comments").hover()
        watch.check(f"{post_url} hovered")
    for path in ["/", "/category/hostile/", f"/comments/{post.slug}/2/"]:
        watch.visit(base + path, path)

    # Feeds are XML, so they cannot run script; Chromium renders them all the same.
    for path in [
        "/feed/",
        "/feed/atom/",
        "/comments/feed/",
        f"/comments/{post.slug}/feed/",
        f"/comments/{imported.slug}/feed/",
    ]:
        response = page.goto(base + path)
        assert response.status == 200, path
        assert "xml" in response.headers["content-type"], path
        assert "<script" not in response.text().replace("&lt;script", ""), path
        watch.check(path, html=False)

    # Moderators and editors.
    _sign_in(page, base)
    pending = Comment.objects.filter(status=CommentStatus.PENDING).first()
    for path, shown in [
        ("/moderate/", pending.body),
        ("/moderate/?tab=spam", PAYLOADS[7]),
        ("/admin/discussion/comment/", ATTRIBUTE_BREAKOUTS[0]),
        ("/admin/discussion/comment/?status=pending", pending.name),
        (f"/admin/discussion/comment/{pending.pk}/change/", pending.body),
        (f"/admin/discussion/comment/{Comment.objects.get(post=post, number=2).pk}/change/",
         PAYLOADS[1]),
        ("/admin/publishing/post/", post.title),
        (f"/admin/publishing/post/{imported.pk}/change/", None),
        (f"/admin/publishing/post/{post.pk}/change/", None),
        ("/admin/publishing/category/", f"<svg onload={RUN}>"),
    ]:  # fmt: skip
        watch.visit(base + path, path)
        if shown:
            expect(page.locator("#content")).to_contain_text(shown.split("\n")[0])

    # And the watch is real: an injected handler is blocked and reported, never run.
    page.evaluate(INJECT_HANDLER)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") == 0
    assert any("script-src" in v for v in page.evaluate("window.__cspViolations"))
    print(
        f"payloads={len(PAYLOADS)} service={through_service} form={len(by_form)} "
        f"api={len(by_api)} htmx={len(by_htmx)}+1 wxr={imported.comments.count()} "
        f"pages={watch.pages}"
    )
