"""Full-text search over published posts: one selector, two engines.

SQLite answers from an FTS5 table kept in step with the post table by triggers (see migration
0002). SQLite rebuilds a table to alter it, which drops its triggers, so after every migrate
``sqlite_index_ensure`` puts back whatever is missing and re-indexes. PostgreSQL ranks with
its own text search. Both return posts in rank order with a ``snippet`` whose matches are
wrapped in <mark>, escaped here so a post cannot inject markup.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, connections
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from masthead.publishing import selectors
from masthead.publishing.models import Post, PostStatus

START, STOP = "\x02", "\x03"
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class SearchHit:
    post: Post
    snippet: SafeString


def _highlight(raw: str) -> SafeString:
    return mark_safe(escape(raw).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


class SearchResults(Sequence):
    """Ranked hits that load their posts only for the slice a page asks for."""

    def __init__(self, ranked: list[tuple[int, str]]):
        self.ranked = ranked

    def __len__(self) -> int:
        return len(self.ranked)

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        window = self.ranked[index]
        posts = selectors.post_list_published().in_bulk([pk for pk, _ in window])
        return [SearchHit(posts[pk], _highlight(snip)) for pk, snip in window if pk in posts]


def post_search(query: str, *, limit: int = 200) -> SearchResults:
    words = WORD.findall(query)[:20]
    if not words:
        return SearchResults([])
    ranked = _postgres(words, limit) if connection.vendor == "postgresql" else _sqlite(words, limit)
    return SearchResults(ranked)


def _sqlite(words: list[str], limit: int) -> list[tuple[int, str]]:
    # Each word is quoted as an FTS5 string so the reader's punctuation is never query syntax.
    match = " ".join('"{}"'.format(word.replace('"', '""')) for word in words)
    sql = (
        "SELECT publishing_post_fts.rowid, snippet(publishing_post_fts, 2, %s, %s, '…', 24) "
        "FROM publishing_post_fts JOIN publishing_post ON publishing_post.id = "
        "publishing_post_fts.rowid WHERE publishing_post_fts MATCH %s "
        "AND publishing_post.status IN (%s, %s) AND publishing_post.published_at <= %s "
        "ORDER BY bm25(publishing_post_fts, 10.0, 4.0, 1.0) LIMIT %s"
    )
    published = [PostStatus.PUBLISHED, PostStatus.SCHEDULED, timezone.now()]
    with connection.cursor() as cursor:
        cursor.execute(sql, [START, STOP, match, *published, limit])
        return cursor.fetchall()


def _postgres(words: list[str], limit: int) -> list[tuple[int, str]]:
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
    )

    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("dek", weight="B", config="english")
        + SearchVector("body_text", weight="C", config="english")
    )
    search_query = SearchQuery(" ".join(words), config="english", search_type="plain")
    rows = (
        Post.objects.published()
        .annotate(rank=SearchRank(vector, search_query))
        .filter(rank__gt=0)
        .annotate(
            snippet=SearchHeadline(
                "body_text",
                search_query,
                config="english",
                start_sel=START,
                stop_sel=STOP,
                max_words=40,
                min_words=15,
            )
        )
        .order_by("-rank", "-published_at")
        .values_list("pk", "snippet")[:limit]
    )
    return list(rows)


# The same objects migration 0002 creates; migrations keep their own frozen copy.
FTS_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS publishing_post_fts USING fts5(title, dek, body_text, "
    "content='publishing_post', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')"
)
FTS_TRIGGERS = {
    "publishing_post_fts_insert": """AFTER INSERT ON publishing_post BEGIN
        INSERT INTO publishing_post_fts(rowid, title, dek, body_text)
        VALUES (new.id, new.title, new.dek, new.body_text);
    END""",
    "publishing_post_fts_delete": """AFTER DELETE ON publishing_post BEGIN
        INSERT INTO publishing_post_fts(publishing_post_fts, rowid, title, dek, body_text)
        VALUES ('delete', old.id, old.title, old.dek, old.body_text);
    END""",
    "publishing_post_fts_update": """AFTER UPDATE ON publishing_post BEGIN
        INSERT INTO publishing_post_fts(publishing_post_fts, rowid, title, dek, body_text)
        VALUES ('delete', old.id, old.title, old.dek, old.body_text);
        INSERT INTO publishing_post_fts(rowid, title, dek, body_text)
        VALUES (new.id, new.title, new.dek, new.body_text);
    END""",
}


def sqlite_index_ensure(using="default", **kwargs) -> None:
    """Put back the FTS5 table or triggers a table rebuild dropped, and re-index if it did."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    if "publishing_post" not in connection.introspection.table_names():
        return  # migrating an app that comes before publishing
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
        missing = [name for name in FTS_TRIGGERS if name not in present]
        if not missing:
            return
        cursor.execute(FTS_TABLE)
        for name in missing:
            cursor.execute(f"CREATE TRIGGER {name} {FTS_TRIGGERS[name]}")
        cursor.execute("INSERT INTO publishing_post_fts(publishing_post_fts) VALUES ('rebuild')")
