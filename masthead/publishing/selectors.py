"""Reads for the reader-facing pages. Each owns its joins, so query counts are fixed here."""

from django.db import connection
from django.db.models import Count, Prefetch, QuerySet

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
    where, params = published_sql("p")
    return _post_page(f"p.slug = %s AND {where}", [slug, *params])


def post_get_for_preview(*, token) -> Post | None:
    token = Post._meta.get_field("preview_token").get_db_prep_value(token, connection)
    return _post_page("p.preview_token = %s", [token])


def _post_page(where: str, params: list) -> Post | None:
    """A post with its picture, author (with post count) and terms, as the post page shows it.

    The most read page of the site, read in SQL written here rather than composed by the ORM:
    compiling the equivalent querysets cost 2.5 ms a page, running them 0.1 ms (see
    docs/benchmarks.md). `RawQuerySet` still makes the instances and converts their values.
    Only table and column names are put into the SQL; values are always parameters. The terms
    are set as ``filed_categories`` and ``filed_tags``.
    """
    posts = Post._meta.db_table
    post = _first(Post.objects.raw(f"SELECT * FROM {posts} p WHERE {where}", params))  # noqa: S608
    if post is None:
        return None
    published, published_params = published_sql("c")
    post.author = _first(
        AuthorProfile.objects.raw(
            f"SELECT a.*, (SELECT COUNT(*) FROM {posts} c WHERE c.author_id = a.id"  # noqa: S608
            f" AND {published}) AS post_count FROM {AuthorProfile._meta.db_table} a"
            " WHERE a.id = %s",
            [*published_params, post.author_id],
        )
    )
    if post.featured_image_id is not None:
        post.featured_image = _first(
            Image.objects.raw(
                f"SELECT * FROM {Image._meta.db_table} WHERE id = %s",  # noqa: S608
                [post.featured_image_id],
            )
        )
    post.filed_categories = _terms(Category, Post.categories, post.pk)
    post.filed_tags = _terms(Tag, Post.tags, post.pk)
    return post


def _first(rows):
    return next(iter(rows), None)


def _terms(model, relation, post_id: int) -> list:
    link = relation.through._meta
    term_column = link.get_field(model._meta.model_name).column
    return list(
        model.objects.raw(
            f"SELECT t.id, t.name, t.slug FROM {model._meta.db_table} t"  # noqa: S608
            f" JOIN {link.db_table} l ON l.{term_column} = t.id"
            " WHERE l.post_id = %s ORDER BY t.name, t.id",
            [post_id],
        )
    )


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
