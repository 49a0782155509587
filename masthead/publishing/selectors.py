"""Reads for the reader-facing pages. Each owns its joins, so query counts are fixed here."""

from django.db import connection
from django.db.models import Count, Prefetch, QuerySet

from masthead.core.database import columns, instance_from_row
from masthead.media.models import Image
from masthead.people.models import AuthorProfile
from masthead.publishing.models import Category, Post, Tag, published_filter, published_sql


def author_profiles_with_counts() -> QuerySet[AuthorProfile]:
    return AuthorProfile.objects.annotate(
        post_count=Count("posts", filter=published_filter("posts__"), distinct=True)
    )


def _with_terms(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.select_related("featured_image").prefetch_related(
        Prefetch("categories", queryset=Category.objects.only("name", "slug")),
        Prefetch("tags", queryset=Tag.objects.only("name", "slug")),
        Prefetch("author", queryset=author_profiles_with_counts()),
    )


def post_list_published() -> QuerySet[Post]:
    return _with_terms(Post.objects.published()).defer("body", "body_text")


def post_list_for_category(category: Category) -> QuerySet[Post]:
    return post_list_published().filter(categories__in=category_descendant_ids(category)).distinct()


def post_list_for_tag(tag: Tag) -> QuerySet[Post]:
    return post_list_published().filter(tags=tag)


def post_list_for_author(author: AuthorProfile) -> QuerySet[Post]:
    return post_list_published().filter(author=author)


def post_get_published(*, slug: str) -> Post | None:
    return _post_page(*_published_by_slug(slug))


def post_get_published_alone(*, slug: str) -> Post | None:
    """The published post without what its page shows around it, in one query: what a comment,
    its form and its poll need."""
    where, params = _published_by_slug(slug)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns('p', Post)} FROM {Post._meta.db_table} p WHERE {where}",  # noqa: S608
            params,
        )
        row = cursor.fetchone()
    return instance_from_row(Post, list(row)) if row is not None else None


def _published_by_slug(slug: str) -> tuple[str, list]:
    published, params = published_sql("p")
    return f"p.slug = %s AND {published}", [slug, *params]


def post_get_for_preview(*, token) -> Post | None:
    token = Post._meta.get_field("preview_token").get_db_prep_value(token, connection)
    return _post_page("p.preview_token = %s", [token])


def _post_page(where: str, params: list) -> Post | None:
    """A post with its picture, author (with post count) and terms, as the post page shows it.

    The most read page of the site, read in SQL written here rather than composed by the ORM:
    compiling the equivalent querysets cost 2.5 ms a page, running them 0.1 ms, and each query
    more is a round trip and a quarter of a millisecond of PostgreSQL's time (see
    docs/benchmarks.md). Two queries: the post with its author and picture, then its terms.
    Values are converted as the ORM converts them; only table and column names are put into
    the SQL, values are always parameters. The terms are set as ``filed_categories`` and
    ``filed_tags``.
    """
    published, published_params = published_sql("c")
    post_columns, author_columns, image_columns = (
        columns(alias, model) for alias, model in (("p", Post), ("a", AuthorProfile), ("i", Image))
    )
    sql = (
        f"SELECT {post_columns}, {author_columns}, {image_columns},"  # noqa: S608
        f" (SELECT COUNT(*) FROM {Post._meta.db_table} c WHERE c.author_id = a.id"
        f" AND {published}) FROM {Post._meta.db_table} p"
        f" JOIN {AuthorProfile._meta.db_table} a ON a.id = p.author_id"
        f" LEFT JOIN {Image._meta.db_table} i ON i.id = p.featured_image_id WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*published_params, *params])
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    post = instance_from_row(Post, row)
    post.author = instance_from_row(AuthorProfile, row)
    image = instance_from_row(Image, row)
    post.featured_image = image if image.pk is not None else None
    (post.author.post_count,) = row
    post.filed_categories, post.filed_tags = _terms(post.pk)
    return post


def _terms(post_id: int) -> tuple[list[Category], list[Tag]]:
    """The post's categories and tags, in one query, each list by name."""
    parts = []
    for model, relation in ((Category, Post.categories), (Tag, Post.tags)):
        link = relation.through._meta
        term = link.get_field(model._meta.model_name).column
        parts.append(
            f"SELECT %s, t.id, t.name, t.slug FROM {model._meta.db_table} t"  # noqa: S608
            f" JOIN {link.db_table} l ON l.{term} = t.id WHERE l.post_id = %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            f"{parts[0]} UNION ALL {parts[1]} ORDER BY 1, 3, 2", ["c", post_id, "t", post_id]
        )
        rows = cursor.fetchall()
    names = ["id", "name", "slug"]
    categories = [
        Category.from_db(connection.alias, names, row[1:]) for row in rows if row[0] == "c"
    ]
    tags = [Tag.from_db(connection.alias, names, row[1:]) for row in rows if row[0] == "t"]
    return categories, tags


def category_descendant_ids(category: Category) -> list[int]:
    """The category and everything under it, from one query over the (small) category table."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = [], [category.pk]
    while stack:
        pk = stack.pop()
        found.append(pk)
        stack.extend(children.get(pk, []))
    return found


def category_ancestors(category: Category) -> list[Category]:
    by_pk = {c.pk: c for c in Category.objects.only("name", "slug", "parent_id")}
    trail, current = [], by_pk.get(category.parent_id)
    while current is not None and current not in trail:
        trail.insert(0, current)
        current = by_pk.get(current.parent_id)
    return trail
