"""A streaming reader of WordPress export files (WXR 1.0, 1.1 and 1.2).

The file is parsed with defusedxml's iterparse (DTDs, entities and external references
forbidden), one <item> at a time: each item is handed out and then dropped from the tree, so
memory stays flat whatever the file's size. The ``wp`` namespace is matched by its prefix,
since each WXR version has its own URI.
"""

import datetime
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from masthead.importers.exceptions import ImportFileError
from masthead.importers.xmlfile import xml_events

WP_PREFIX = "http://wordpress.org/export/"
NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


@dataclass
class WxrSite:
    url: str


@dataclass
class WxrAuthor:
    login: str
    email: str = ""
    display_name: str = ""


@dataclass
class WxrTerm:
    kind: str  # "category" or "tag"
    slug: str
    name: str
    parent_slug: str = ""
    description: str = ""


@dataclass
class WxrComment:
    wp_id: str
    author: str = ""
    email: str = ""
    url: str = ""
    ip: str = ""
    date_gmt: datetime.datetime | None = None
    content: str = ""
    approved: str = "1"
    type: str = ""
    parent_id: str = "0"
    user_id: str = "0"


@dataclass
class WxrItem:
    wp_id: str
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date_gmt: datetime.datetime | None = None
    slug: str = ""
    status: str = ""
    post_type: str = ""
    parent_id: str = "0"
    comment_status: str = "open"
    attachment_url: str = ""
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # (domain, slug, name)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[WxrComment] = field(default_factory=list)
    line: int | None = None


@functools.cache
def _name(tag: str) -> str:
    """'{http://wordpress.org/export/1.1/}post_id' -> 'wp:post_id'."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    if uri.startswith(WP_PREFIX):
        return f"excerpt:{local}" if uri.rstrip("/").endswith("excerpt") else f"wp:{local}"
    prefix = NAMESPACES.get(uri)
    return f"{prefix}:{local}" if prefix else local


def _text(element, name: str) -> str:
    for child in element:
        if _name(child.tag) == name:
            return (child.text or "").strip()
    return ""


def _fields(element) -> dict[str, str]:
    """An element's children by name, each with its stripped text (first one wins)."""
    fields: dict[str, str] = {}
    for child in element:
        fields.setdefault(_name(child.tag), (child.text or "").strip())
    return fields


def parse_gmt(value: str) -> datetime.datetime | None:
    value = (value or "").strip()
    if not value or value.startswith("0000"):
        return None
    try:
        naive = datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007 (GMT)
    except ValueError:
        return None
    return naive.replace(tzinfo=datetime.UTC)


def _author(element) -> WxrAuthor:
    return WxrAuthor(
        login=_text(element, "wp:author_login"),
        email=_text(element, "wp:author_email"),
        display_name=_text(element, "wp:author_display_name"),
    )


def _term(element, kind: str) -> WxrTerm:
    if kind == "category":
        return WxrTerm(
            kind=kind,
            slug=_text(element, "wp:category_nicename"),
            name=_text(element, "wp:cat_name"),
            parent_slug=_text(element, "wp:category_parent"),
            description=_text(element, "wp:category_description"),
        )
    return WxrTerm(
        kind=kind,
        slug=_text(element, "wp:tag_slug"),
        name=_text(element, "wp:tag_name"),
        description=_text(element, "wp:tag_description"),
    )


def _comment(element) -> WxrComment:
    get = _fields(element).get
    return WxrComment(
        wp_id=get("wp:comment_id", ""),
        author=get("wp:comment_author", ""),
        email=get("wp:comment_author_email", ""),
        url=get("wp:comment_author_url", ""),
        ip=get("wp:comment_author_IP", ""),
        date_gmt=parse_gmt(get("wp:comment_date_gmt", "")) or parse_gmt(get("wp:comment_date", "")),
        content=get("wp:comment_content", ""),
        approved=get("wp:comment_approved") or "1",
        type=get("wp:comment_type", ""),
        parent_id=get("wp:comment_parent") or "0",
        user_id=get("wp:comment_user_id") or "0",
    )


def _item(element) -> WxrItem:
    item = WxrItem(wp_id=_text(element, "wp:post_id"))
    for child in element:
        name = _name(child.tag)
        text = child.text or ""
        if name == "category":
            domain = child.get("domain", "category")
            item.terms.append((domain, child.get("nicename", ""), text.strip()))
        elif name == "wp:postmeta":
            item.meta[_text(child, "wp:meta_key")] = _text(child, "wp:meta_value")
        elif name == "wp:comment":
            item.comments.append(_comment(child))
        elif name in ITEM_FIELDS:
            setattr(item, ITEM_FIELDS[name], text if name == "content:encoded" else text.strip())
    item.date_gmt = parse_gmt(_text(element, "wp:post_date_gmt")) or parse_gmt(
        _text(element, "wp:post_date")
    )
    return item


ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "guid": "guid",
    "dc:creator": "creator",
    "content:encoded": "content",
    "excerpt:encoded": "excerpt",
    "wp:post_name": "slug",
    "wp:status": "status",
    "wp:post_type": "post_type",
    "wp:post_parent": "parent_id",
    "wp:comment_status": "comment_status",
    "wp:attachment_url": "attachment_url",
}


def read_wxr(source: BinaryIO) -> Iterator[WxrSite | WxrAuthor | WxrTerm | WxrItem]:
    """Yield authors, terms and items in file order; raise ImportFileError naming the place."""
    channel, in_channel = None, False
    depth = 0
    for event, element in xml_events(source, kind="WordPress"):
        if event == "start":
            depth += 1
            # Only the root's <channel> holds the site; one written elsewhere (inside an item's
            # text, say) is content, and what follows a closed channel belongs to nothing.
            if depth == 2 and element.tag == "channel":
                channel, in_channel = element, True
            continue
        depth -= 1
        if element is channel:
            in_channel = False
            continue
        name = _name(element.tag)
        if depth != 2 or not in_channel:
            continue
        if name == "item":
            yield _item(element)
        elif name == "wp:author":
            yield _author(element)
        elif name in ("wp:category", "wp:tag"):
            yield _term(element, "category" if name == "wp:category" else "tag")
        elif name == "wp:base_site_url":
            yield WxrSite((element.text or "").strip())
        else:
            continue
        channel.remove(element)
    if channel is None:
        raise ImportFileError("this is XML but not a WordPress export (no <channel>)")
