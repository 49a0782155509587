"""Reads for the reader-facing pages. Each owns its joins, so query counts are fixed here."""

from django.db.models import Count, Prefetch, QuerySet

from masthead.people.models import AuthorProfile
from masthead.publishing.models import Category, Post, Tag, published_filter


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
    return _with_terms(Post.objects.published()).filter(slug=slug).first()


def post_get_for_preview(*, token) -> Post | None:
    return _with_terms(Post.objects.all()).filter(preview_token=token).first()


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
