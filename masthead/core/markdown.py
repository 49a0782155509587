"""Markdown to safe HTML, for everything people write.

markdown-it-py parses with raw HTML switched off, so tags typed into a body come out as text;
nh3 then cleans the rendered HTML as the very last step, so nothing a plugin or rule emits can
smuggle a script through. Block quotes may carry their source as a last paragraph that starts
with a dash:

    > The quoted passage.
    >
    > — The Harbour Ledger, 3 March 2026

which renders as ``<figure><blockquote>…</blockquote><figcaption><cite>…</cite></figcaption>``.
A picture alone in its paragraph, ``![alt](src "Caption")``, becomes a figure whose title is
its caption.

Reader comments get a smaller language (``render_comment``): emphasis, links, block quotes and
inline code, nothing else; their links carry ``rel="nofollow ugc noopener"``.
"""

import re
from html import escape, unescape

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

SOURCE_PREFIX = re.compile(r"^\s*(?:—|–|--)\s*")

ARTICLE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "figcaption", "figure",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ARTICLE_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "figure": {"class"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _blockquote_sources(state: StateCore) -> None:
    """Lift a trailing "— Source" paragraph out of each top-level block quote."""
    tokens = state.tokens
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type != "blockquote_open":
            index += 1
            continue
        close = _matching_close(tokens, index)
        paragraph = close - 3
        inline = tokens[paragraph + 1] if paragraph > index else None
        if (
            inline is not None
            and tokens[paragraph].type == "paragraph_open"
            and inline.type == "inline"
            and paragraph > index + 1
            and SOURCE_PREFIX.match(inline.content)
        ):
            token.meta["source"] = SOURCE_PREFIX.sub("", inline.content, count=1).strip()
            del tokens[paragraph:close]
            close = paragraph
        index = close + 1


def _matching_close(tokens, start: int) -> int:
    depth = 0
    for position in range(start, len(tokens)):
        if tokens[position].type == "blockquote_open":
            depth += 1
        elif tokens[position].type == "blockquote_close":
            depth -= 1
            if depth == 0:
                return position
    return len(tokens) - 1


def _render_blockquote_open(self, tokens, idx, options, env):
    if tokens[idx].meta.get("source"):
        return '<figure class="quote"><blockquote>\n'
    return "<blockquote>\n"


def _render_blockquote_close(self, tokens, idx, options, env):
    level = tokens[idx].level
    opener = next(
        (t for t in reversed(tokens[:idx]) if t.type == "blockquote_open" and t.level == level),
        None,
    )
    source = opener.meta.get("source") if opener is not None else None
    if not source:
        return "</blockquote>\n"
    return f"</blockquote>\n<figcaption>— <cite>{escape(source)}</cite></figcaption></figure>\n"


def _image_figures(state: StateCore) -> None:
    """Mark paragraphs that hold nothing but one captioned picture."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-2]):
        if token.type != "paragraph_open" or tokens[index + 1].type != "inline":
            continue
        children = [c for c in tokens[index + 1].children or [] if c.type != "softbreak"]
        if len(children) == 1 and children[0].type == "image" and children[0].attrGet("title"):
            token.meta["caption"] = children[0].attrGet("title")
            tokens[index + 2].meta["caption"] = token.meta["caption"]


def _render_paragraph_open(self, tokens, idx, options, env):
    if tokens[idx].meta.get("caption"):
        return '<figure class="image">'
    return self.renderToken(tokens, idx, options, env)


def _render_paragraph_close(self, tokens, idx, options, env):
    caption = tokens[idx].meta.get("caption")
    if caption:
        return f"<figcaption>{escape(caption)}</figcaption></figure>\n"
    return self.renderToken(tokens, idx, options, env)


def _article_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.core.ruler.push("blockquote_sources", _blockquote_sources)
    md.core.ruler.push("image_figures", _image_figures)
    md.add_render_rule("paragraph_open", _render_paragraph_open)
    md.add_render_rule("paragraph_close", _render_paragraph_close)
    md.add_render_rule("blockquote_open", _render_blockquote_open)
    md.add_render_rule("blockquote_close", _render_blockquote_close)
    return md


_ARTICLE = _article_parser()


def clean_html(html: str, *, tags=ARTICLE_TAGS, attributes=ARTICLE_ATTRIBUTES) -> str:
    return nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )


def render_article(text: str) -> str:
    """Render an article body or bio: Markdown first, nh3 last."""
    return clean_html(_ARTICLE.render(text or ""))


COMMENT_TAGS = {"a", "blockquote", "br", "code", "em", "p", "strong"}
COMMENT_ATTRIBUTES = {"a": {"href"}}
COMMENT_RULES = [
    "blockquote", "emphasis", "link", "backticks", "escape", "newline", "autolink", "entity",
]  # fmt: skip


def _comment_parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": True})
    md.enable(COMMENT_RULES)
    return md


_COMMENT = _comment_parser()


def render_comment(text: str) -> str:
    """Render a reader's comment: the small Markdown subset first, nh3 last."""
    return nh3.clean(
        _COMMENT.render(text or ""),
        tags=COMMENT_TAGS,
        attributes=COMMENT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def plain_text(html: str) -> str:
    """The words of rendered HTML, for search indexes, snippets and descriptions."""
    text = nh3.clean(html, tags=set())
    text = re.sub(r"\s+", " ", text)
    return unescape(text).strip()
