import re

import pytest

from masthead.core.markdown import plain_text, render_article, render_comment

EVENT_HANDLER_IN_TAG = re.compile(r"<[^>]*\son\w+\s*=")

HOSTILE = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    '<img src=x onerror="alert(1)">',
    '<a href="#" onclick="alert(1)">x</a>',
    "<iframe src=//example.com></iframe>",
    "![x](javascript:alert(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<svg><script>alert(1)</script></svg>",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markup_renders_inert(payload):
    html = render_article(payload).lower()
    assert "<script" not in html
    assert "<iframe" not in html
    assert "<img" not in html
    assert "<svg" not in html
    assert 'href="javascript' not in html
    assert 'href="data:' not in html
    assert not EVENT_HANDLER_IN_TAG.search(html)


def test_raw_html_is_shown_as_text():
    assert render_article("<b>bold</b>") == "<p>&lt;b&gt;bold&lt;/b&gt;</p>\n"


def test_quote_with_source_becomes_figure_with_cite():
    html = render_article("> The harbour is not for sale.\n>\n> — The Harbour Ledger, 3 March")
    assert html.startswith('<figure class="quote"><blockquote>')
    assert "<p>The harbour is not for sale.</p>" in html
    assert "<figcaption>— <cite>The Harbour Ledger, 3 March</cite></figcaption></figure>" in html


@pytest.mark.parametrize("dash", ["—", "–", "--"])
def test_each_dash_introduces_a_source(dash):
    html = render_article(f"> Quoted.\n>\n> {dash} Source")
    assert "<cite>Source</cite>" in html


def test_quote_without_source_stays_plain_blockquote():
    html = render_article("> Just a quote.")
    assert html == "<blockquote>\n<p>Just a quote.</p>\n</blockquote>\n"


def test_a_quote_that_is_only_a_dash_line_is_not_a_source():
    html = render_article("> — only a line")
    assert "<figcaption>" not in html


def test_source_is_escaped():
    html = render_article("> Quoted.\n>\n> — <script>alert(1)</script> Gazette")
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_links_are_kept_with_safe_schemes():
    html = render_article("[the budget](/category/economy/) and [mail](mailto:desk@example.org)")
    assert '<a href="/category/economy/" rel="noopener">the budget</a>' in html
    assert 'href="mailto:desk@example.org"' in html


def test_plain_text_strips_tags_and_unescapes():
    assert plain_text("<p>Fish &amp; <em>chips</em></p>\n<p>Two</p>") == "Fish & chips Two"


def test_captioned_picture_becomes_a_figure():
    html = render_article('![Gulls over the quay](/media/gulls.png "Gulls at <dawn>")')
    assert html == (
        '<figure class="image"><img src="/media/gulls.png" alt="Gulls over the quay" '
        'title="Gulls at &lt;dawn&gt;"><figcaption>Gulls at &lt;dawn&gt;</figcaption></figure>\n'
    )


def test_picture_without_caption_or_among_words_stays_inline():
    assert "<figure" not in render_article("![a](/a.png)")
    assert "<figure" not in render_article('Text ![a](/a.png "cap") more')


def test_pictures_only_from_safe_schemes():
    assert "<img" not in render_article('![a](javascript:alert(1) "cap")')
    assert "<img" not in render_article('![a](data:image/svg+xml;base64,PHN2Zz4= "cap")')


COMMENT_HOSTILE = [
    *HOSTILE,
    '<a href="https://example.org" onclick="x()">x</a>',
    "[x](vbscript:msgbox(1))",
    "<style>body{display:none}</style>",
]


@pytest.mark.parametrize("payload", COMMENT_HOSTILE)
def test_hostile_markup_in_a_comment_renders_inert(payload):
    html = render_comment(payload).lower()
    for tag in ("<script", "<iframe", "<img", "<svg", "<style", "<div"):
        assert tag not in html
    assert 'href="javascript' not in html
    assert 'href="data:' not in html
    assert 'href="vbscript' not in html
    assert not EVENT_HANDLER_IN_TAG.search(html)


def test_a_comment_keeps_its_small_markdown_subset():
    html = render_comment("*fair* and **firm**, see `annex B`\n\n> they said so")
    assert "<em>fair</em>" in html
    assert "<strong>firm</strong>" in html
    assert "<code>annex B</code>" in html
    assert "<blockquote>\n<p>they said so</p>\n</blockquote>" in html


def test_comment_links_are_marked_as_user_content():
    html = render_comment("[the annex](https://example.org/annex) and <https://example.net/>")
    assert '<a href="https://example.org/annex" rel="nofollow ugc noopener">the annex</a>' in html
    assert '<a href="https://example.net/" rel="nofollow ugc noopener">' in html


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("# Not a heading", "<p># Not a heading</p>"),
        ("- not\n- a list", "<p>- not<br>\n- a list</p>"),
        ("<b>raw</b>", "<p>&lt;b&gt;raw&lt;/b&gt;</p>"),
        ("    not code", "<p>not code</p>"),
    ],
)
def test_a_comment_has_no_headings_lists_blocks_or_raw_html(text, shown):
    assert render_comment(text) == shown + "\n"


def test_a_picture_in_a_comment_is_never_shown():
    html = render_comment("![a chart](https://example.org/chart.png)")
    assert "<img" not in html
    assert 'href="https://example.org/chart.png"' in html


def test_line_breaks_in_a_comment_are_kept():
    assert render_comment("one\ntwo") == "<p>one<br>\ntwo</p>\n"


def test_render_article_is_unchanged_by_the_comment_parser():
    assert render_article("## Heading") == "<h2>Heading</h2>\n"
    assert 'rel="noopener"' in render_article("[x](https://example.org)")
    assert "nofollow" not in render_article("[x](https://example.org)")


def test_table_alignment_is_dropped_rather_than_sent_as_inline_style():
    # The Content Security Policy refuses inline styles; aligned columns fall back to the default.
    html = render_article("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert "<table>" in html and "style=" not in html
