"""Whatever anyone types, rendered Markdown holds nothing that can run script.

Hypothesis builds inputs out of the pieces attacks are made of (raw tags, event handlers, URL
schemes in many spellings, entities, Markdown link and table syntax) mixed with arbitrary text;
the output is parsed as a browser would tokenise it and every element, attribute and URL is
checked against what the renderer promises.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from masthead.core import markdown

PIECES = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>", "<a href=javascript:alert(1)>x</a>", "<style>",
    "<math><mi xlink:href=javascript:alert(1)>", "<!--", "-->", "<![CDATA[", "<?php", "</p>",
    "<object data=x>", "<base href=//evil.example/>", "<form action=//evil.example>",
    "javascript:", "JaVaScRiPt:", "java\tscript:", "java\nscript:", "&#106;avascript:",
    "&#x6A;avascript:", "%6Aavascript:", "vbscript:", "data:text/html,", "\x00", "\u2028",
    "[x](", "![x](", "](", ")", " \"title\")", "<", ">", "\"", "'", "`", "=", "onerror=",
    " onclick=\"", " style=\"", "background:url(", "&", "&amp;", "&lt;", ";", "//", "\\",
    "\n", "\n\n", "> ", "> — ", "| a | b |\n|:-|--:|\n| ", "* ", "1. ", "# ", "```\n", "    ",
    "**", "_", "~~", "http://", "https://example.org/", "mailto:", "<http://a.b/c>",
    "<javascript:alert(1)>", "[ref]: javascript:alert(1)\n", "[ref]",
]  # fmt: skip

TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40).map("".join)

SAFE_SCHEMES = {"http", "https", "mailto"}
# nh3 (ammonia) keeps these two on any element unless told otherwise; neither can run script.
GENERIC_ATTRIBUTES = {"title", "lang"}
LINK_REL = {"a": {"rel"}}  # set by the renderer itself (noopener, nofollow ugc)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background"}
ALIGN_STYLE = re.compile(r"text-align:(left|right|center)")
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]")


class Inventory(HTMLParser):
    """Every element and attribute a browser would see in the fragment, plus any oddities."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.oddities: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.oddities.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.oddities.append(f"declaration {decl!r}")

    def handle_pi(self, data):
        self.oddities.append(f"processing instruction {data!r}")

    def unknown_decl(self, data):
        self.oddities.append(f"declaration {data!r}")


def _scheme(url: str) -> str | None:
    # Browsers drop tabs, newlines and leading control characters before reading a scheme.
    cleaned = INVISIBLE.sub("", url)
    return urlsplit(cleaned).scheme.lower() or None


def assert_inert(html: str, *, tags: set[str], attributes: dict[str, set[str]]):
    inventory = Inventory()
    inventory.feed(html)
    inventory.close()
    assert inventory.oddities == []
    for tag, attrs in inventory.elements:
        assert tag in tags, f"<{tag}> in {html!r}"
        for name, value in attrs:
            assert not name.startswith("on"), f"{name} on <{tag}> in {html!r}"
            allowed = attributes.get(tag, set()) | GENERIC_ATTRIBUTES | LINK_REL.get(tag, set())
            assert name in allowed, f"{name} on <{tag}> in {html!r}"
            if name in URL_ATTRIBUTES:
                scheme = _scheme(value or "")
                assert scheme in SAFE_SCHEMES | {None}, f"{name}={value!r} in {html!r}"
            if name == "style":
                assert ALIGN_STYLE.fullmatch(value or ""), f"style={value!r} in {html!r}"
    assert "<script" not in html.lower()


@settings(max_examples=400, deadline=None)
@given(TEXT)
@example("[x](javascript:alert(1))")
@example("[x](java\tscript:alert(1))")
@example("<img src=x onerror=alert(1)>")
@example('![x](javascript:alert(1) "caption")')
@example("| a | b |\n|:-|--:|\n| <b onmouseover=alert(1)> | 2 |")
@example("> quoted\n>\n> — <script>alert(1)</script>")
def test_articles_never_hold_script(text):
    html = markdown.render_article(text)
    assert_inert(html, tags=markdown.ARTICLE_TAGS, attributes=markdown.ARTICLE_ATTRIBUTES)


@pytest.mark.skipif(not hasattr(markdown, "render_comment"), reason="no comment renderer yet")
@settings(max_examples=400, deadline=None)
@given(TEXT)
@example("[x](javascript:alert(1))")
@example("<javascript:alert(1)>")
@example("[ref]\n\n[ref]: javascript:alert(1)")
def test_comments_never_hold_script(text):
    html = markdown.render_comment(text)
    assert_inert(html, tags=markdown.COMMENT_TAGS, attributes=markdown.COMMENT_ATTRIBUTES)


@given(TEXT)
@settings(max_examples=200, deadline=None)
def test_rendering_is_stable(text):
    """Rendering twice gives the same HTML: nothing depends on state left by earlier input."""
    assert markdown.render_article(text) == markdown.render_article(text)


def test_the_checker_catches_what_it_looks_for():
    allowed = {"a": {"href"}}
    for bad in [
        '<a href="javascript:alert(1)">x</a>',
        '<a href="java&#9;script:alert(1)">x</a>',
        '<a onclick="x()">x</a>',
        "<img src=x>",
        "<!-- hidden -->",
    ]:
        with pytest.raises(AssertionError):
            assert_inert(bad, tags={"a"}, attributes=allowed)
    assert_inert(
        '<a href="/relative">x</a> <a href="mailto:a@b">m</a>', tags={"a"}, attributes=allowed
    )
