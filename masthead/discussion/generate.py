"""Generated comments for ``masthead generate --comments M``: realistic threads for benchmarks.

Comments are spread evenly over the given posts, numbered from 1 within each, one in five a reply
to an earlier comment; they go in with ``bulk_create`` and each post's count is stored once. A
post's comments follow its latest (or its publication) a minute apart, closer together where
that would run past the present: no comment is written in the future.
"""

import datetime
import random

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from masthead.core.markdown import render_comment
from masthead.discussion.models import Comment, CommentStatus
from masthead.publishing.models import Post

NAMES = ["Argon", "C. Clavin", "Marguerite T.", "oldsalt", "Petra Vance", "Ines Maro", "Wren"]
WORDS = (  # noqa: SIM905
    "the council vote was rushed and the harbour deserves better scrutiny than this budget "
    "minutes show ferry fares rising while the consortium says nothing about pensions"
).split()
BATCH_POSTS = 200
APART = datetime.timedelta(minutes=1)
CLOSEST = datetime.timedelta(milliseconds=1)


def _bodies(rng: random.Random, count: int = 400) -> list[tuple[str, str]]:
    bodies = []
    for _ in range(count):
        words = rng.choices(WORDS, k=rng.randint(6, 40))
        text = words[0].capitalize() + " " + " ".join(words[1:]) + "."
        bodies.append((text, render_comment(text)))
    return bodies


def comments_generate(*, post_ids: list[int], count: int, seed: int = 1, progress=None) -> int:
    rng = random.Random(seed)  # noqa: S311 (sample text, not secrets)
    bodies = _bodies(rng)
    per_post, extra = divmod(count, len(post_ids)) if post_ids else (0, 0)
    made, now = 0, timezone.now()
    for start in range(0, len(post_ids), BATCH_POSTS):
        chunk = post_ids[start : start + BATCH_POSTS]
        with transaction.atomic():
            numbers, since = {}, {}
            for pk, last, latest, published in (
                Post.objects.filter(pk__in=chunk)
                .annotate(
                    last=Coalesce(Subquery(_latest("number")), 0),
                    latest=Subquery(_latest("created_at")),
                )
                .values_list("pk", "last", "latest", "published_at")
            ):
                numbers[pk], since[pk] = last, latest or published or _EPOCH
            rows, replies = [], []
            for offset, post_id in enumerate(chunk):
                wanted = per_post + (1 if start + offset < extra else 0)
                apart = max(min(APART, (now - since[post_id]) / (wanted + 1)), CLOSEST)
                for index in range(wanted):
                    numbers[post_id] += 1
                    text, html = rng.choice(bodies)
                    comment = Comment(
                        post_id=post_id,
                        number=numbers[post_id],
                        name=rng.choice(NAMES),
                        email=f"reader{rng.randint(1, 5000)}@example.org",
                        body=text,
                        body_html=html,
                        status=CommentStatus.APPROVED,
                        created_at=since[post_id] + apart * (index + 1),
                    )
                    (replies if index and rng.random() < 0.2 else rows).append(comment)
            Comment.objects.bulk_create(rows, batch_size=2000)
            tops: dict[int, list[Comment]] = {}
            for comment in rows:
                tops.setdefault(comment.post_id, []).append(comment)
            for reply in replies:
                earlier = [c for c in tops.get(reply.post_id, []) if c.number < reply.number]
                reply.parent = rng.choice(earlier) if earlier else None
            Comment.objects.bulk_create(replies, batch_size=2000)
            _store_counts(chunk)
        made += len(rows) + len(replies)
        if progress is not None:
            progress.update(len(rows) + len(replies))
    return made


def _latest(column: str):
    """``column`` of the post's last comment so far, for a post's row in a query."""
    return Comment.objects.filter(post=OuterRef("pk")).order_by("-number").values(column)[:1]


def _store_counts(post_ids: list[int]) -> None:
    approved = (
        Comment.objects.filter(post=OuterRef("pk"))
        .values("post")
        .annotate(n=Count("pk", filter=Q(status=CommentStatus.APPROVED)))
        .values("n")
    )
    Post.objects.filter(pk__in=post_ids).update(comment_count=Coalesce(Subquery(approved), 0))


_EPOCH = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
