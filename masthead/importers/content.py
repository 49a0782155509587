"""WordPress post HTML to the Markdown Masthead stores.

WordPress keeps classic posts as "auto-paragraph" text (blank lines make paragraphs, single
line breaks are <br>), block posts wrapped in <!-- wp:... --> comments, and pictures with
captions as [caption] shortcodes. Quotes carry their source in <cite>. All of it becomes
Masthead's Markdown: quotes end with a "— Source" line, a captioned picture becomes
![alt](src "caption"), which renders as a figure with its caption.
"""

import re

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->", re.S)
CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.S | re.I)
IMG = re.compile(r"<img\b[^>]*>", re.I | re.S)
ANY_SHORTCODE = re.compile(r"\[/?[a-z_-]+(?:\s[^\]]*)?\]", re.I)
BLOCK_TAG = re.compile(
    r"^\s*</?(?:p|div|blockquote|ul|ol|li|h[1-6]|pre|table|figure|hr|dl|address|section)\b",
    re.I,
)


def wpautop(text: str) -> str:
    """The gist of WordPress's wpautop: paragraphs from blank lines, <br> from single ones."""
    if re.search(r"<p[\s>]", text, re.I):
        return text
    parts = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    out = []
    for part in parts:
        if not part.strip():
            continue
        if BLOCK_TAG.match(part):
            out.append(part)
        else:
            out.append("<p>" + part.strip().replace("\n", "<br />\n") + "</p>")
    return "\n".join(out)


def _caption_to_figure(match: re.Match) -> str:
    attributes, inner = match.group(1), match.group(2)
    image = IMG.search(inner)
    caption_attr = re.search(r'caption="([^"]*)"', attributes)
    text = IMG.sub("", inner)
    text = re.sub(r"</?a\b[^>]*>", "", text).strip()
    caption = text or (caption_attr.group(1) if caption_attr else "")
    if not image:
        return f"<p>{caption}</p>"
    return f"<figure>{image.group(0)}<figcaption>{caption}</figcaption></figure>"


SAFE_HREF = re.compile(r"^(?:https?:|mailto:|/|#|\.|[^:/?#]*(?:[/?#]|$))", re.I)


class WordPressConverter(MarkdownConverter):
    def convert_a(self, el, text, parent_tags):
        href = (el.get("href") or "").strip()
        if not SAFE_HREF.match(href):
            return text  # the words stay; a script: or data: target does not
        return super().convert_a(el, text, parent_tags)

    def convert_figure(self, el, text, parent_tags):
        image = el.find("img")
        caption = el.find("figcaption")
        if image is None:
            return f"\n\n{text}\n\n"
        alt = (image.get("alt") or "").replace("]", "")
        src = image.get("src") or ""
        title = caption.get_text(" ", strip=True).replace('"', "'") if caption is not None else ""
        title_part = f' "{title}"' if title else ""
        return f"\n\n![{alt}]({src}{title_part})\n\n"


def _sources_into_quotes(soup: BeautifulSoup) -> None:
    """<blockquote>…<cite>Source</cite></blockquote> -> a last "— Source" paragraph.

    Masthead's own export writes <figure><blockquote>…</blockquote><figcaption>— <cite>…
    which comes back the same way.
    """
    for figure in soup.find_all("figure"):
        quote, caption = figure.find("blockquote"), figure.find("figcaption")
        if quote is not None and caption is not None:
            source = caption.find("cite") or caption
            line = soup.new_tag("cite")
            line.string = source.get_text(" ", strip=True).lstrip("—–- ").strip()
            quote.append(line)
            caption.extract()
            figure.unwrap()
    for quote in soup.find_all("blockquote"):
        cite = quote.find("cite")
        if cite is None:
            continue
        line = soup.new_tag("p")
        line.string = "— " + cite.get_text(" ", strip=True)
        cite.extract()
        quote.append(line)


def wordpress_to_markdown(html: str) -> str:
    html = BLOCK_COMMENT.sub("", html or "")
    html = CAPTION.sub(_caption_to_figure, html)
    html = ANY_SHORTCODE.sub("", html)
    soup = BeautifulSoup(wpautop(html), "html.parser")
    _sources_into_quotes(soup)
    converter = WordPressConverter(heading_style="ATX", bullets="-", escape_underscores=False)
    markdown = converter.convert_soup(soup)
    markdown = re.sub(r"(?<=\S) {2,}(?=\S)", " ", markdown)  # what removed tags leave behind
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
