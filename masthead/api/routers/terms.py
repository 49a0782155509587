"""Authors, categories and tags: what posts are filed under."""

from ninja import Query, Router

from masthead.api.errors import ApiError
from masthead.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page, page_schema
from masthead.api.routers import answers
from masthead.api.schemas import AuthorOut, CategoryOut, Slug, TagOut
from masthead.publishing import selectors
from masthead.publishing.models import Category, Tag

router = Router()
AuthorPage = page_schema(AuthorOut)
CategoryPage = page_schema(CategoryOut)
TagPage = page_schema(TagOut)
Cursor = Query(None, max_length=2000)
Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _page(queryset, ordering, cursor, limit, name) -> dict:
    page = keyset_page(queryset, ordering=ordering, cursor=cursor, limit=limit, name=name)
    return {"items": page.items, "next_cursor": page.next_cursor}


def _one(queryset, slug: str, label: str):
    found = queryset.filter(slug=slug).first()
    if found is None:
        raise ApiError(404, f"No {label} {slug!r}.")
    return found


@router.get("/authors", response=answers({200: AuthorPage}), tags=["authors"], summary="Authors")
def author_list(request, cursor: str = Cursor, limit: int = Limit):
    """By name, with each author's count of published posts."""
    authors = selectors.author_profiles_with_counts()
    return _page(authors, ("display_name", "id"), cursor, limit, "authors")


@router.get(
    "/authors/{slug}", response=answers({200: AuthorOut}), tags=["authors"], summary="One author"
)
def author_detail(request, slug: Slug):
    return _one(selectors.author_profiles_with_counts(), slug, "author")


@router.get(
    "/categories", response=answers({200: CategoryPage}), tags=["categories"], summary="Categories"
)
def category_list(request, cursor: str = Cursor, limit: int = Limit):
    """By name; ``parent`` names the category each sits in."""
    categories = Category.objects.select_related("parent")
    return _page(categories, ("name", "id"), cursor, limit, "categories")


@router.get(
    "/categories/{slug}",
    response=answers({200: CategoryOut}),
    tags=["categories"],
    summary="One category",
)
def category_detail(request, slug: Slug):
    return _one(Category.objects.select_related("parent"), slug, "category")


@router.get("/tags", response=answers({200: TagPage}), tags=["tags"], summary="Tags")
def tag_list(request, cursor: str = Cursor, limit: int = Limit):
    return _page(Tag.objects.all(), ("name", "id"), cursor, limit, "tags")


@router.get("/tags/{slug}", response=answers({200: TagOut}), tags=["tags"], summary="One tag")
def tag_detail(request, slug: Slug):
    return _one(Tag.objects.all(), slug, "tag")
