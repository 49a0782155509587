"""Import a WordPress site from its WXR export: idempotent, resumable, in constant memory.

Every imported row carries an ``import_ref`` ("wxr:<host>:<kind>:<id>"), so running the same
file again updates what changed and creates nothing twice. Each item (a post with all its
comments) is written in one transaction: a run killed at any moment leaves whole items only,
and the next run carries on to the same end state an uninterrupted run reaches.
"""

import datetime
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from masthead.core.markdown import render_comment
from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.services import comment_count_refresh, mention_resolve_for_post
from masthead.importers.content import wordpress_to_markdown
from masthead.importers.media import MediaRefusedError
from masthead.importers.wxr import WxrAuthor, WxrComment, WxrItem, WxrSite, WxrTerm, read_wxr
from masthead.media.models import Image
from masthead.people.models import AuthorProfile
from masthead.publishing.models import Category, Post, PostStatus, Tag

logger = logging.getLogger(__name__)

POST_STATUS = {
    "publish": PostStatus.PUBLISHED,
    "future": PostStatus.SCHEDULED,
    "draft": PostStatus.DRAFT,
    "pending": PostStatus.DRAFT,
    "private": PostStatus.DRAFT,
}
COMMENT_STATUS = {
    "1": CommentStatus.APPROVED,
    "approve": CommentStatus.APPROVED,
    "0": CommentStatus.PENDING,
    "hold": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.REMOVED,
    "post-trashed": CommentStatus.REMOVED,
}
COMMENT_REASON = {
    CommentStatus.SPAM: "marked as spam in WordPress",
    CommentStatus.REMOVED: "in WordPress's trash",
    CommentStatus.PENDING: "awaiting moderation in WordPress",
}
CONTENT_TYPES = {"post", "page"}
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclass
class ImportReport:
    counts: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    items: int = 0

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        if n:
            self.counts[f"{kind} {outcome}"] += n

    def warn(self, message: str) -> None:
        logger.warning(message)
        self.warnings.append(message)

    def summary(self) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = {}
        for key, n in sorted(self.counts.items()):
            kind, outcome = key.split(" ", 1)
            table.setdefault(kind, {})[outcome] = n
        return table


class WordPressImport:
    """One pass over a WXR file; ``progress`` hears of each record, with the bytes read so far."""

    def __init__(
        self,
        *,
        learn: bool = False,
        fetch_media: Callable[[Image, str], None] | None = None,
        progress: Callable[[ImportReport, int], None] | None = None,
    ):
        self.report = ImportReport()
        self.learn = learn
        self.fetch_media = fetch_media
        self.progress = progress or (lambda report, position: None)
        self.host = "site"
        self.authors: dict[str, AuthorProfile] = {}
        self.parents: dict[str, str] = {}
        self.thumbnails: dict[int, str] = {}

    def run(self, source) -> ImportReport:
        for record in read_wxr(source):
            self._dispatch(record)
            self.report.items += 1
            self.progress(self.report, source.tell())
        self._link_category_parents()
        self._link_featured_images()
        return self.report

    def ref(self, kind: str, key: str) -> str:
        return f"wxr:{self.host}:{kind}:{key}"

    def _dispatch(self, record) -> None:
        if isinstance(record, WxrSite):
            self.host = urlsplit(record.url).netloc or record.url or "site"
        elif isinstance(record, WxrAuthor):
            self._author(record)
        elif isinstance(record, WxrTerm):
            self._term(record)
        elif isinstance(record, WxrItem):
            self._link_category_parents()
            with transaction.atomic():
                _relax_durability()
                self._item(record)

    # Authors and terms -------------------------------------------------------------------

    def _author(self, author: WxrAuthor) -> AuthorProfile:
        name = author.display_name.strip() or author.login.strip() or "Unknown author"
        profile, outcome = _upsert(
            AuthorProfile,
            self.ref("author", author.login),
            {"display_name": name},
            create={"slug": _free_slug(AuthorProfile, slugify(name) or "author")},
        )
        self.report.count("authors", outcome)
        self.authors[author.login] = profile
        return profile

    def _term(self, term: WxrTerm) -> None:
        kind = "categories" if term.kind == "category" else "tags"
        if not term.name.strip():
            self.report.warn(f"{term.kind} '{term.slug}' has an empty name: skipped")
            self.report.count(kind, "skipped")
            return
        model = Category if term.kind == "category" else Tag
        values = {"name": term.name.strip()}
        if term.kind == "category":
            values["description"] = term.description
            if term.parent_slug:
                self.parents[term.slug] = term.parent_slug
        slug = term.slug or slugify(term.name)
        _adopt(model, self.ref(term.kind, slug), slug)
        _, outcome = _upsert(
            model, self.ref(term.kind, slug), values, create={"slug": _free_slug(model, slug)}
        )
        self.report.count(kind, outcome)

    def _link_category_parents(self) -> None:
        for slug, parent_slug in list(self.parents.items()):
            child = Category.objects.filter(import_ref=self.ref("category", slug)).first()
            parent = Category.objects.filter(import_ref=self.ref("category", parent_slug)).first()
            if child and parent and child.parent_id != parent.pk:
                child.parent = parent
                child.save(update_fields=["parent"])
            elif child and not parent:
                self.report.warn(f"category '{slug}': parent '{parent_slug}' is not in the file")
            del self.parents[slug]

    def _terms_of(self, item: WxrItem) -> tuple[list[Category], list[Tag]]:
        categories, tags = [], []
        for domain, slug, name in item.terms:
            kind, model, bucket = (
                ("category", Category, categories)
                if domain == "category"
                else ("tag", Tag, tags)
                if domain == "post_tag"
                else (None, None, None)
            )
            if kind is None:
                continue
            if not name.strip():
                self.report.warn(f"post {item.wp_id}: {kind} '{slug}' has an empty name: skipped")
                continue
            slug = slug or slugify(name)
            _adopt(model, self.ref(kind, slug), slug)
            term, outcome = _upsert(
                model,
                self.ref(kind, slug),
                {},
                create={"name": name.strip(), "slug": _free_slug(model, slug)},
            )
            if outcome == "created":
                self.report.count("categories" if kind == "category" else "tags", outcome)
            bucket.append(term)
        return categories, tags

    # Items --------------------------------------------------------------------------------

    def _item(self, item: WxrItem) -> None:
        if item.post_type == "attachment":
            self._attachment(item)
        elif item.post_type in CONTENT_TYPES:
            self._post(item)
        else:
            self.report.count("items", "skipped")

    def _attachment(self, item: WxrItem) -> None:
        alt = item.meta.get("_wp_attachment_image_alt", "").strip()
        values = {
            "source_url": item.attachment_url[:500],
            "alt_text": (alt or item.title or "Picture")[:300],
            "caption": item.excerpt,
        }
        image, outcome = _upsert(Image, self.ref("attachment", item.wp_id), values)
        if self.fetch_media and not image.file and image.source_url:
            try:
                self.fetch_media(image, image.source_url)
            except (MediaRefusedError, OSError) as error:
                self.report.warn(f"attachment {item.wp_id}: not fetched: {error}")
        self.report.count("attachments", outcome)

    def _post(self, item: WxrItem) -> None:
        author = self.authors.get(item.creator) or self._author(WxrAuthor(login=item.creator))
        title = item.title.strip()
        if not title:
            title = "Untitled"
            self.report.warn(f"post {item.wp_id} has no title: saved as 'Untitled'")
        status = POST_STATUS.get(item.status, PostStatus.DRAFT)
        published_at = item.date_gmt
        if status == PostStatus.SCHEDULED and published_at and published_at <= timezone.now():
            status = PostStatus.PUBLISHED
        values = {
            "title": title[:250],
            "dek": item.excerpt.strip(),
            "body": wordpress_to_markdown(item.content),
            "author_id": author.pk,
            "status": status,
            "published_at": published_at,
            "is_comments_open": item.comment_status == "open",
        }
        ref = self.ref(item.post_type, item.wp_id)
        slug = (item.slug or slugify(title) or f"{item.post_type}-{item.wp_id}")[:240]
        post, outcome = _upsert(Post, ref, values, create={"slug": _free_slug(Post, slug)})
        categories, tags = self._terms_of(item)
        if outcome == "created":
            post.categories.add(*categories)
            post.tags.add(*tags)
        elif _set_if_changed(post.categories, categories) | _set_if_changed(post.tags, tags):
            outcome = "updated" if outcome == "unchanged" else outcome
        self.report.count("posts" if item.post_type == "post" else "pages", outcome)
        if item.meta.get("_thumbnail_id"):
            self.thumbnails[post.pk] = item.meta["_thumbnail_id"]
        self._comments(post, item.comments)

    def _comments(self, post: Post, incoming: list[WxrComment]) -> None:
        """Bring the post's imported comments in line with the file, in the item's transaction:
        numbers by date, parents, @-mentions and the post's count all land together."""
        if not incoming:
            return
        existing = {c.import_ref: c for c in Comment.objects.filter(post=post)}
        next_number = max((c.number for c in existing.values()), default=0) + 1
        ordered = sorted(incoming, key=lambda c: (c.date_gmt or _EPOCH, _as_int(c.wp_id)))
        by_wp_id: dict[str, Comment] = {}
        new, changed = [], []
        for wxr in ordered:
            ref = self.ref("comment", wxr.wp_id)
            values = _comment_values(wxr, post)
            comment = existing.get(ref)
            if comment is None:
                comment = Comment(post=post, import_ref=ref, number=next_number, **values)
                comment.body_html = render_comment(comment.body)
                next_number += 1
                new.append(comment)
            elif any(getattr(comment, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(comment, key, value)
                comment.body_html = render_comment(comment.body)
                changed.append(comment)
            by_wp_id[wxr.wp_id] = comment
        parents = self._parents(post, ordered, by_wp_id)
        _create_parents_first(new, parents)
        if changed:
            Comment.objects.bulk_update(changed, [*_comment_values(ordered[0], post), "body_html"])
        relinked = [
            c for c in by_wp_id.values() if c.parent_id != _pk(parents.get(id(c)))
        ]  # fmt: skip
        for comment in relinked:
            comment.parent = parents.get(id(comment))
        Comment.objects.bulk_update(relinked, ["parent"])
        if new or changed or relinked:
            if any(c.body.startswith("@") for c in by_wp_id.values()) or any(
                c.mention_of_id for c in existing.values()
            ):
                mention_resolve_for_post(post=post)
            comment_count_refresh(post=post)
        self.report.count("comments", "created", len(new))
        self.report.count("comments", "updated", len(changed))
        self.report.count("comments", "unchanged", len(incoming) - len(new) - len(changed))
        if self.learn:
            _learn_from_spam(c for c in new + changed if c.status == CommentStatus.SPAM)

    def _parents(self, post, ordered: list[WxrComment], by_wp_id) -> dict[int, Comment]:
        """Each comment's parent, keyed by id() of the child (new ones have no pk to hash)."""
        parents = {}
        for wxr in ordered:
            if wxr.parent_id in ("", "0"):
                continue
            parent = by_wp_id.get(wxr.parent_id)
            if parent is None:
                self.report.warn(
                    f"comment {wxr.wp_id} on post '{post.slug}': its parent {wxr.parent_id} "
                    "is not in the file; placed at the top level"
                )
            elif parent is not by_wp_id[wxr.wp_id]:
                parents[id(by_wp_id[wxr.wp_id])] = parent
        return parents

    # After the last item ----------------------------------------------------------------

    def _link_featured_images(self) -> None:
        for post_pk, attachment_id in self.thumbnails.items():
            image = Image.objects.filter(import_ref=self.ref("attachment", attachment_id)).first()
            if image is None:
                self.report.warn(f"post {post_pk}: featured image {attachment_id} not in the file")
                continue
            Post.objects.filter(pk=post_pk).exclude(featured_image=image).update(
                featured_image=image
            )


def _comment_values(wxr: WxrComment, post: Post) -> dict:
    content = (wxr.content or "").strip()
    body = wordpress_to_markdown(content).strip() if "<" in content else content
    status = COMMENT_STATUS.get(wxr.approved, CommentStatus.PENDING)
    reason = COMMENT_REASON.get(status, "")
    if not body:
        status, reason = CommentStatus.REMOVED, "empty"
    return {
        "name": (wxr.author.strip() or "Anonymous")[:80],
        "email": wxr.email.strip().lower()[:254],
        "url": wxr.url.strip()[:300],
        "body": body,
        "status": status,
        "status_reason": reason,
        "created_at": wxr.date_gmt or post.published_at or timezone.now(),
        "ip_address": wxr.ip or None,
    }


def _create_parents_first(new: list[Comment], parents: dict[int, Comment]) -> None:
    """Insert new comments in waves, each after the parents it points at have their ids."""
    waiting = list(new)
    while waiting:
        ready = [c for c in waiting if id(c) not in parents or parents[id(c)].pk is not None]
        if not ready:  # a cycle of parents in the file: break it at the top level
            ready = waiting[:1]
            parents.pop(id(ready[0]), None)
        for comment in ready:
            comment.parent = parents.get(id(comment))
        Comment.objects.bulk_create(ready)
        waiting = [c for c in waiting if c.pk is None]


def _pk(comment: Comment | None) -> int | None:
    return comment.pk if comment is not None else None


def _relax_durability() -> None:
    """Let PostgreSQL acknowledge an item before its WAL reaches the disk. A crash may lose the
    last few items, which the next run (imports resume) simply writes again."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _as_int(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _upsert(model, import_ref: str, values: dict, *, create: dict | None = None):
    """Create, update or leave one row by its import_ref; returns it and what happened."""
    row = model.objects.filter(import_ref=import_ref).first()
    if row is None:
        row = model(import_ref=import_ref, **values, **(create or {}))
        row.save()
        return row, "created"
    if all(getattr(row, key) == value for key, value in values.items()):
        return row, "unchanged"
    for key, value in values.items():
        setattr(row, key, value)
    row.save()
    return row, "updated"


def _adopt(model, import_ref: str, slug: str) -> None:
    """A term already here under the same slug is the same term: mark it instead of copying."""
    if not model.objects.filter(import_ref=import_ref).exists():
        model.objects.filter(slug=slug, import_ref=None).update(import_ref=import_ref)


def _set_if_changed(manager, wanted: Iterable) -> bool:
    wanted_ids = {obj.pk for obj in wanted}
    if set(manager.values_list("pk", flat=True)) == wanted_ids:
        return False
    manager.set(wanted_ids)
    return True


def _free_slug(model, slug: str) -> str:
    """The slug, or the slug with a number, whichever no other row holds yet."""
    base, candidate, n = slug, slug, 2
    while model.objects.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _learn_from_spam(comments: Iterable[Comment]) -> None:
    from django.apps import apps

    if not apps.is_installed("masthead.moderation"):
        return
    from masthead.moderation.services import spam_learn

    for comment in comments:
        spam_learn(
            body=comment.body, name=comment.name, email=comment.email, url=comment.url, is_spam=True
        )


def wordpress_import(path, **options) -> ImportReport:
    with open(path, "rb") as source:
        return WordPressImport(**options).run(source)
