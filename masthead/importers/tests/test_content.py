from masthead.core.markdown import render_article
from masthead.importers.content import wordpress_to_markdown, wpautop


def test_block_comments_disappear_and_quotes_keep_their_source():
    html = (
        "<!-- wp:paragraph --><p>Opening.</p><!-- /wp:paragraph -->"
        '<!-- wp:quote --><blockquote class="wp-block-quote"><p>Not a spare room.</p>'
        "<cite>The Tidewater Courier</cite></blockquote><!-- /wp:quote -->"
    )
    markdown = wordpress_to_markdown(html)
    assert "wp:" not in markdown
    assert markdown == "Opening.\n\n> Not a spare room.\n>\n> — The Tidewater Courier\n"
    rendered = render_article(markdown)
    assert "<figcaption>— <cite>The Tidewater Courier</cite></figcaption>" in rendered


def test_caption_shortcode_becomes_a_captioned_figure():
    html = (
        '[caption id="attachment_50" align="aligncenter" width="640"]<a href="/x/">'
        '<img src="https://example.org/gulls.jpg" alt="Gulls at dawn" width="640" /></a>'
        " Gulls over the market.[/caption]"
    )
    markdown = wordpress_to_markdown(html)
    assert markdown == '![Gulls at dawn](https://example.org/gulls.jpg "Gulls over the market.")\n'
    assert "<figcaption>Gulls over the market.</figcaption>" in render_article(markdown)


def test_block_editor_image_figure_keeps_its_caption():
    html = (
        '<figure class="wp-block-image"><img src="/a.png" alt="A"/>'
        "<figcaption>Cap</figcaption></figure>"
    )
    assert wordpress_to_markdown(html) == '![A](/a.png "Cap")\n'


def test_classic_auto_paragraphs_and_line_breaks():
    assert wpautop("One\ntwo\n\nThree") == "<p>One<br />\ntwo</p>\n<p>Three</p>"
    markdown = wordpress_to_markdown("One\ntwo\n\nThree")
    assert render_article(markdown) == "<p>One<br>\ntwo</p>\n<p>Three</p>\n"


def test_other_shortcodes_are_dropped_and_hostile_html_ends_inert():
    html = (
        '<p>See [gallery ids="1,2"] and <a href="javascript:alert(1)">this</a> or '
        '<a href=" JaVaScRiPt:x">that</a><script>x()</script> <a href="/ok/">ok</a></p>'
    )
    rendered = render_article(wordpress_to_markdown(html))
    assert rendered == '<p>See and this or that <a href="/ok/" rel="noopener">ok</a></p>\n'
