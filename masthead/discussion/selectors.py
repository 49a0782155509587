"""Reads of comments for pages, fragments and feeds. Each owns its queries, so counts are fixed.

``comment_tree_for_post`` reads what a reader's view of a post's discussion needs in one query,
whatever its size, and its live-update marker in another; it builds the tree, the placeholders,
the display depth and the pages in Python from those rows.
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from masthead.core.database import value_from_db
from masthead.discussion import services
from masthead.discussion.models import Comment, CommentStatus
from masthead.publishing import selectors as publishing_selectors
from masthead.publishing.models import Post

SORTS = ("oldest", "newest")
TREE_FIELDS = [
    "pk", "post_id", "number", "parent_id", "user_id", "name", "url", "body_html", "status",
    "mention_of_id", "created_at", "edited_at", "updated_at",
]  # fmt: skip


@dataclass
class Viewer:
    """Who is reading: whose comments they may edit, and what they have already seen."""

    user: Any = None
    authored_ids: Collection[int] = ()
    seen: int | None = None


@dataclass
class CommentNode:
    comment: Comment
    depth: int = 0
    children: list["CommentNode"] = field(default_factory=list)
    is_placeholder: bool = False
    reply_to: Comment | None = None
    mention: "CommentNode | None" = None
    is_own: bool = False
    can_edit: bool = False
    is_new: bool = False
    root: "CommentNode | None" = None
    page_number: int = 1

    @property
    def page(self) -> int:
        return self.root.page_number if self.root is not None else self.page_number

    @property
    def minutes_left(self) -> int:
        left = self.comment.edit_deadline - timezone.now()
        return max(1, int(left.total_seconds() // 60) + 1)


@dataclass
class Thread:
    post: Post
    page: Page
    sort: str
    marker: str
    latest_number: int
    visible_count: int
    nodes_by_number: dict[int, CommentNode]

    @property
    def nodes(self) -> list[CommentNode]:
        return list(self.page.object_list)


def comment_tree_for_post(
    *, post: Post, viewer: Viewer | None = None, page: Any = 1, sort: str = "oldest"
) -> Thread:
    viewer = viewer or Viewer()
    rows = tree_rows(post=post, viewer=viewer)
    summary = _summary("c.post_id = %s", [post.pk])
    roots, nodes = _build_tree(rows, viewer)
    if sort == "newest":
        roots.reverse()
    paginator = Paginator(roots, settings.COMMENTS_PER_PAGE)
    for index, root in enumerate(roots):
        root.page_number = index // paginator.per_page + 1
    return Thread(
        post=post,
        page=paginator.get_page(page),
        sort=sort if sort in SORTS else "oldest",
        marker=marker_for(summary["rows"], summary["changed"]),
        latest_number=summary["latest"] or 0,
        visible_count=sum(1 for r in rows if r.is_approved),
        nodes_by_number=nodes,
    )


def tree_rows(*, post: Post, viewer: Viewer) -> list[Comment]:
    """The rows a reader's tree can use: approved comments, the reader's own, and any comment
    with replies (it may have to stand as a placeholder). Others' held and spam comments, however
    many a post collects, are never read."""
    wanted = Q(status=CommentStatus.APPROVED) | Exists(
        Comment.objects.filter(parent_id=OuterRef("pk"))
    )
    if viewer.authored_ids:
        wanted |= Q(user=None, pk__in=list(viewer.authored_ids))
    if viewer.user is not None:
        wanted |= Q(user_id=viewer.user.pk)
    rows = list(
        Comment.objects.filter(post=post).filter(wanted).only(*TREE_FIELDS).order_by("number")
    )
    for row in rows:
        row.post = post
    return rows


def comment_page_number(thread: Thread, number: int) -> int | None:
    """Which page of ``thread`` (in its sort) shows comment ``number``."""
    node = thread.nodes_by_number.get(number)
    return None if node is None else node.page


def _build_tree(rows: list[Comment], viewer: Viewer) -> tuple[list[CommentNode], dict]:
    by_pk = {row.pk: row for row in rows}
    shown = {row.pk for row in rows if _is_shown(row, viewer)}
    kept = set(shown)
    for pk in shown:
        parent_id = by_pk[pk].parent_id
        while parent_id is not None and parent_id not in kept and parent_id in by_pk:
            kept.add(parent_id)
            parent_id = by_pk[parent_id].parent_id
    now = timezone.now()
    nodes: dict[int, CommentNode] = {}
    roots: list[CommentNode] = []
    deepest = max(settings.COMMENT_MAX_DEPTH, 1) - 1
    for row in rows:
        if row.pk not in kept:
            continue
        node = _node(row, viewer, by_pk, now, is_placeholder=row.pk not in shown)
        parent = nodes.get(by_pk[row.parent_id].number) if row.parent_id in by_pk else None
        if parent is None:
            siblings = roots
        elif parent.depth < deepest:
            node.depth, siblings = parent.depth + 1, parent.children
        else:
            node.depth, node.reply_to = parent.depth, parent.comment
            siblings = _siblings_of(parent, nodes, by_pk, roots)
        siblings.append(node)
        node.root = node if siblings is roots else (parent.root if parent else node)
        mention = by_pk.get(row.mention_of_id)
        if mention is not None and mention.is_approved:
            node.mention = nodes.get(mention.number)
        nodes[row.number] = node
    return roots, nodes


def _siblings_of(node: CommentNode, nodes: dict, by_pk: dict, roots: list) -> list[CommentNode]:
    """The list ``node`` hangs in: where a too-deep reply joins it as a sibling."""
    holder = node
    while holder.reply_to is not None:
        holder = nodes[holder.reply_to.number]
    parent_id = holder.comment.parent_id
    if parent_id in by_pk and by_pk[parent_id].number in nodes:
        return nodes[by_pk[parent_id].number].children
    return roots


def _is_shown(row: Comment, viewer: Viewer) -> bool:
    if row.is_approved:
        return True
    own = services.comment_is_authored_by(row, user=viewer.user, authored_ids=viewer.authored_ids)
    return own and row.status == CommentStatus.PENDING


def _node(row, viewer: Viewer, by_pk: dict, now, *, is_placeholder: bool) -> CommentNode:
    own = services.comment_is_authored_by(row, user=viewer.user, authored_ids=viewer.authored_ids)
    return CommentNode(
        comment=row,
        is_placeholder=is_placeholder,
        is_own=own and not is_placeholder,
        can_edit=not is_placeholder
        and services.comment_can_edit(
            row, user=viewer.user, authored_ids=viewer.authored_ids, now=now
        ),
        is_new=viewer.seen is not None and row.number > viewer.seen and not is_placeholder,
    )


def comment_node_alone(comment: Comment, viewer: Viewer) -> CommentNode:
    """A comment as its author sees it just after posting it: theirs, editable, and linked to
    the comment it mentions ("@Name: ...") if that one is shown."""
    node = _node(comment, viewer, {}, timezone.now(), is_placeholder=False)
    if comment.mention_of_id is not None:
        mentioned = (
            Comment.objects.filter(pk=comment.mention_of_id).approved().only(*TREE_FIELDS).first()
        )
        if mentioned is not None:
            node.mention = CommentNode(comment=mentioned)
    return node


def marker_for(rows: int, changed: datetime.datetime | None) -> str:
    """A cheap fingerprint of a thread: how many rows, and when the last one changed."""
    stamp = int(changed.timestamp() * 1_000_000) if changed else 0
    return f"{rows}.{stamp}"


def comment_marker_for_post(*, slug: str) -> tuple[str, int | None]:
    """The thread's marker and post id, in one aggregate over an index (what polls ask)."""
    post = f"SELECT id FROM {Post._meta.db_table} WHERE slug = %s"  # noqa: S608
    found = _summary(f"c.post_id = ({post})", [slug])
    return marker_for(found["rows"], found["changed"]), found["post_id"]


def comment_marker_for_post_id(*, post_id: int) -> str:
    found = _summary("c.post_id = %s", [post_id])
    return marker_for(found["rows"], found["changed"])


def _summary(where: str, params: list) -> dict:
    """A thread's row count, latest change, latest number and post, in one aggregate.

    Every post page and poll asks this, so it is SQL written here: the ORM took 0.5 ms to
    compile the aggregate and 0.03 ms to run it (see docs/benchmarks.md). Only table names are
    put into the SQL; values are always parameters.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), MAX(c.updated_at), MAX(c.number), MAX(c.post_id)"  # noqa: S608
            f" FROM {Comment._meta.db_table} c WHERE {where}",
            params,
        )
        rows, changed, latest, post_id = cursor.fetchone()
    changed = value_from_db(Comment._meta.get_field("updated_at"), changed)
    return {"rows": rows, "changed": changed, "latest": latest, "post_id": post_id}


def comment_count_new(
    *, post_id: int, after: int, viewer: Viewer | None = None
) -> tuple[int, int | None]:
    """How many approved comments came after number ``after``, and the first of them; the
    reader's own are not news to them (they saw theirs added as they posted it)."""
    comments = Comment.objects.filter(post_id=post_id, number__gt=after).approved()
    if viewer is not None and viewer.user is not None:
        comments = comments.exclude(user_id=viewer.user.pk)
    if viewer is not None and viewer.authored_ids:
        comments = comments.exclude(pk__in=list(viewer.authored_ids))
    found = comments.aggregate(count=Count("pk"), first=Min("number"))
    return found["count"], found["first"]


def post_for_discussion(*, slug: str) -> Post | None:
    return publishing_selectors.post_get_published_alone(slug=slug)


def comment_get(*, post: Post, number: int) -> Comment | None:
    comment = Comment.objects.filter(post=post, number=number).first()
    if comment is not None:
        comment.post = post
    return comment


def comment_list_for_feed(*, post: Post | None = None, limit: int = 30) -> QuerySet[Comment]:
    comments = Comment.objects.approved().on_published_posts().select_related("post")
    if post is not None:
        comments = comments.filter(post=post)
    return comments.defer("body", "ip_address", "user_agent").order_by("-created_at", "-pk")[:limit]
