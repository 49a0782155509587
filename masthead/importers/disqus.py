"""Import comments from a Disqus export.

Disqus exports list the forum's threads (one per page it was embedded on, with the page's URL)
and then every comment, each naming its thread and parent by Disqus id. Threads are matched to
posts by URL; a thread whose page is not here becomes a draft stub post, with a warning.
Comments carry ``disqus:<forum>:<id>`` as their import_ref, so a re-run changes nothing.
"""

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.services import (
    comment_count_refresh,
    comment_import,
    mention_resolve_for_post,
)
from masthead.importers.content import wordpress_to_markdown
from masthead.importers.exceptions import ImportFileError
from masthead.importers.wordpress import ImportReport, _free_slug, _upsert
from masthead.importers.xmlfile import xml_events
from masthead.people.models import AuthorProfile
from masthead.publishing.models import Post, PostStatus

DSQ_ID = "{http://disqus.com/disqus-internals}id"
POST_PATH = re.compile(r"^/(?:\d{4}/\d{1,2}/\d{1,2}/)?(?P<slug>[-\w]+)/?$")


@dataclass
class DisqusThread:
    dsq_id: str
    link: str
    title: str
    forum: str
    is_closed: bool


@dataclass
class DisqusComment:
    dsq_id: str
    thread_id: str
    parent_id: str
    message: str
    created_at: datetime.datetime | None
    name: str
    email: str
    ip: str
    is_deleted: bool
    is_spam: bool


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element, name: str):
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _text(element, *path: str) -> str:
    for name in path:
        element = _child(element, name) if element is not None else None
    return (element.text or "").strip() if element is not None else ""


def _flag(element, name: str) -> bool:
    return _text(element, name).lower() == "true"


def _when(value: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def read_disqus(source) -> Iterator[DisqusThread | DisqusComment]:
    depth = 0
    root = None
    for event, element in xml_events(source, kind="Disqus"):
        if event == "start":
            depth += 1
            root = element if root is None else root
            continue
        depth -= 1
        if depth != 1:
            continue
        name = _local(element.tag)
        if name == "thread":
            yield DisqusThread(
                dsq_id=element.get(DSQ_ID, ""),
                link=_text(element, "link"),
                title=_text(element, "title"),
                forum=_text(element, "forum"),
                is_closed=_flag(element, "isClosed"),
            )
        elif name == "post":
            thread, parent = _child(element, "thread"), _child(element, "parent")
            yield DisqusComment(
                dsq_id=element.get(DSQ_ID, ""),
                thread_id=thread.get(DSQ_ID, "") if thread is not None else "",
                parent_id=parent.get(DSQ_ID, "") if parent is not None else "",
                message=_text(element, "message"),
                created_at=_when(_text(element, "createdAt")),
                name=_text(element, "author", "name"),
                email=_text(element, "author", "email"),
                ip=_text(element, "ipAddress"),
                is_deleted=_flag(element, "isDeleted"),
                is_spam=_flag(element, "isSpam"),
            )
        root.remove(element)
    if root is None or _local(root.tag) != "disqus":
        raise ImportFileError("this is XML but not a Disqus export (no <disqus> root)")


class DisqusImport:
    def __init__(self, *, progress: Callable[[ImportReport, int], None] | None = None):
        self.report = ImportReport()
        self.progress = progress or (lambda report, position: None)
        self.threads: dict[str, Post] = {}
        self.forum = "forum"
        self.parents: dict[str, tuple[str, str]] = {}  # comment ref -> (parent ref, thread id)
        self.touched: set[int] = set()

    def run(self, source) -> ImportReport:
        for record in read_disqus(source):
            if isinstance(record, DisqusThread):
                self._thread(record)
            else:
                self._comment(record)
            self.report.items += 1
            self.progress(self.report, source.tell())
        self._link_parents()
        for post in Post.objects.filter(pk__in=self.touched):
            mention_resolve_for_post(post=post)
            comment_count_refresh(post=post)
        return self.report

    def _thread(self, thread: DisqusThread) -> None:
        self.forum = thread.forum or self.forum
        post = _post_for_link(thread.link)
        if post is None:
            post = self._stub(thread)
        self.threads[thread.dsq_id] = post

    def _stub(self, thread: DisqusThread) -> Post:
        self.report.warn(
            f"thread {thread.dsq_id} ({thread.link or 'no link'}): no post here; "
            "created a draft stub to hold its comments"
        )
        author, _ = _upsert(
            AuthorProfile,
            f"disqus:{self.forum}:author",
            {},
            create={
                "display_name": "Imported discussion",
                "slug": _free_slug(AuthorProfile, "imported"),
            },
        )
        title = thread.title or thread.link or f"Disqus thread {thread.dsq_id}"
        post, outcome = _upsert(
            Post,
            f"disqus:{self.forum}:thread:{thread.dsq_id}",
            {},
            create={
                "title": title[:250],
                "slug": _free_slug(Post, slugify(title)[:240] or f"thread-{thread.dsq_id}"),
                "body": "",
                "author": author,
                "status": PostStatus.DRAFT,
            },
        )
        self.report.count("stubs", outcome)
        return post

    def _comment(self, item: DisqusComment) -> None:
        post = self.threads.get(item.thread_id)
        if post is None:
            self.report.warn(
                f"comment {item.dsq_id}: its thread {item.thread_id} is not in the file"
            )
            self.report.count("comments", "skipped")
            return
        status = CommentStatus.APPROVED
        reason = ""
        if item.is_spam:
            status, reason = CommentStatus.SPAM, "marked as spam in Disqus"
        elif item.is_deleted:
            status, reason = CommentStatus.REMOVED, "deleted in Disqus"
        message = item.message
        body = wordpress_to_markdown(message).strip() if "<" in message else message
        ref = f"disqus:{self.forum}:{item.dsq_id}"
        with transaction.atomic():
            _, created = comment_import(
                post=post,
                import_ref=ref,
                name=item.name,
                email=item.email,
                body=body,
                created_at=item.created_at or post.published_at or post.created_at,
                status=status,
                status_reason=reason,
            )
        self.report.count("comments", "created" if created else "unchanged")
        self.touched.add(post.pk)
        if item.parent_id:
            self.parents[ref] = (f"disqus:{self.forum}:{item.parent_id}", item.thread_id)

    def _link_parents(self) -> None:
        for ref, (parent_ref, thread_id) in self.parents.items():
            post = self.threads[thread_id]
            child = Comment.objects.get(post=post, import_ref=ref)
            parent = Comment.objects.filter(post=post, import_ref=parent_ref).first()
            if parent is None:
                self.report.warn(
                    f"comment {ref}: parent {parent_ref} is not in the file; top level"
                )
            elif child.parent_id != parent.pk:
                Comment.objects.filter(pk=child.pk).update(parent=parent, updated_at=timezone.now())


def _post_for_link(link: str) -> Post | None:
    parts = urlsplit(link)
    query = parse_qs(parts.query)
    if "p" in query:
        post = Post.objects.filter(import_ref__endswith=f":post:{query['p'][0]}").first()
        if post:
            return post
    match = POST_PATH.match(parts.path or "/")
    return Post.objects.filter(slug=match["slug"]).first() if match else None


def disqus_import(path, **options) -> ImportReport:
    with open(path, "rb") as source:
        return DisqusImport(**options).run(source)
