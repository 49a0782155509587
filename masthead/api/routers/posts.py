"""Posts: public reads and search, and the newsroom's writes (publish scope)."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from ninja import Query, Router, Status

from masthead.api.auth import ApiTokenAuth, request_token
from masthead.api.errors import ApiError
from masthead.api.models import ApiScope
from masthead.api.pagination import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    keyset_page,
    page_schema,
    sequence_page,
)
from masthead.api.routers import WRITE_ERRORS, answers
from masthead.api.schemas import (
    PostEditorialOut,
    PostIn,
    PostOut,
    PostPatch,
    PostSummaryOut,
    PublishIn,
    Slug,
)
from masthead.core import ratelimit
from masthead.people.models import AuthorProfile
from masthead.publishing import search, selectors, services
from masthead.publishing.models import Category, Post, PostStatus, Tag

router = Router(tags=["posts"])
PostPage = page_schema(PostSummaryOut)
ORDER = ("-published_at", "-id")
Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
CATEGORY = Query(None, description="A category slug; its subcategories too.")
TAG = Query(None, description="A tag slug.")
AUTHOR = Query(None, description="An author slug.")
AFTER = Query(None, description="From this time on.")
BEFORE = Query(None, description="Before this time.")


def _aware(moment: datetime.datetime | None, field: str) -> datetime.datetime | None:
    """In the site's time zone when none is given; a time that falls outside the calendar once
    in UTC (year 1 at +14:00) is a 422, not a crash in the database adapter."""
    if moment is None:
        return None
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        moment.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        raise ApiError(422, fields={field: "This time is out of range."}) from None
    return moment


def _term(model, slug: str, label: str):
    found = model.objects.filter(slug=slug).first()
    if found is None:
        raise ApiError(404, f"No {label} {slug!r}.")
    return found


@router.get("/posts", response=answers({200: PostPage}), summary="List published posts")
def post_list(
    request,
    category: Slug = CATEGORY,
    tag: Slug = TAG,
    author: Slug = AUTHOR,
    published_after: datetime.datetime = AFTER,
    published_before: datetime.datetime = BEFORE,
    cursor: str = Query(None, max_length=2000),
    limit: int = Limit,
):
    """Newest first. ``category`` takes in its subcategories too. Dates without a time zone are
    read in the site's."""
    posts = selectors.post_list_published()
    if category:
        posts = selectors.post_list_for_category(_term(Category, category, "category"))
    if tag:
        posts = posts.filter(tags=_term(Tag, tag, "tag"))
    if author:
        posts = posts.filter(author=_term(AuthorProfile, author, "author"))
    if published_after:
        posts = posts.filter(published_at__gte=_aware(published_after, "query.published_after"))
    if published_before:
        posts = posts.filter(published_at__lt=_aware(published_before, "query.published_before"))
    page = keyset_page(posts, ordering=ORDER, cursor=cursor, limit=limit, name="posts")
    return {"items": page.items, "next_cursor": page.next_cursor}


SearchPage = page_schema(PostSummaryOut)


@router.get("/search", response=answers({200: SearchPage}), summary="Search published posts")
def post_search(
    request,
    q: str = Query(..., min_length=1, max_length=200),
    cursor: str = Query(None, max_length=2000),
    limit: int = Limit,
):
    """Best match first; limited per address like the site's search page."""
    token = request_token(request)
    key = f"search:token:{token.pk}" if token else f"search:ip:{ratelimit.client_ip(request)}"
    found = ratelimit.hit(key, settings.SEARCH_RATE_LIMIT, 60)
    if not found.allowed:
        raise ApiError(429, headers={"Retry-After": str(found.retry_after)})
    hits = list(enumerate(hit.post for hit in search.post_search(q.replace("\x00", ""))))
    page = sequence_page(hits, cursor=cursor, limit=limit, name="search", key=lambda h: h[0])
    return {"items": [post for _, post in page.items], "next_cursor": page.next_cursor}


@router.get("/posts/{slug}", response=answers({200: PostOut}), summary="One published post")
def post_detail(request, slug: Slug):
    """With its body rendered from Markdown and sanitised."""
    post = selectors.post_get_published(slug=slug)
    if post is None:
        raise ApiError(404, f"No published post {slug!r}.")
    return post


@router.get(
    "/posts/{slug}/editorial",
    auth=ApiTokenAuth(ApiScope.READ, ApiScope.PUBLISH),
    response=answers({200: PostEditorialOut}, (400, 401, 403, 404, 422, 429)),
    summary="One post in any status, with its Markdown (read or publish scope)",
)
def post_editorial(request, slug: Slug):
    """Drafts and scheduled posts too: what a headless front end needs for previews."""
    return _editorial(slug)


def _editorial(slug: str) -> Post:
    post = (
        Post.objects.select_related("author", "featured_image")
        .prefetch_related("categories", "tags")
        .filter(slug=slug)
        .first()
    )
    if post is None:
        raise ApiError(404, f"No post {slug!r}.")
    return post


PUBLISH = ApiTokenAuth(ApiScope.PUBLISH)


@router.post(
    "/posts",
    auth=PUBLISH,
    response=answers({201: PostEditorialOut}, WRITE_ERRORS),
    summary="Create a draft (publish scope)",
)
def post_create(request, payload: PostIn):
    """The author is the token's user's author profile; a new post is always a draft."""
    author = AuthorProfile.objects.filter(user=request.auth.user).first()
    if author is None:
        raise ApiError(403, "This token's user has no author profile.", code="no_author_profile")
    post = Post(author=author, status=PostStatus.DRAFT, is_comments_open=payload.is_comments_open)
    _apply(post, payload.model_dump(exclude_unset=True), by=request.auth.user, creating=True)
    return Status(201, _editorial(post.slug))


@router.patch(
    "/posts/{slug}",
    auth=PUBLISH,
    response=answers({200: PostEditorialOut}, WRITE_ERRORS),
    summary="Change a post (publish scope)",
)
def post_update(request, slug: Slug, payload: PostPatch):
    """Only the fields sent change. Status and dates change through publish."""
    post = _editorial(slug)
    changes = payload.model_dump(exclude_unset=True)
    if any(changes.get(field) is None for field in ("title", "body", "dek") if field in changes):
        raise ApiError(422, fields={f: "May not be null." for f in changes if changes[f] is None})
    _apply(post, changes, by=request.auth.user, creating=False)
    return _editorial(post.slug)


@router.post(
    "/posts/{slug}/publish",
    auth=PUBLISH,
    response=answers({200: PostEditorialOut}, WRITE_ERRORS),
    summary="Publish now or schedule (publish scope)",
)
def post_publish(request, slug: Slug, payload: PublishIn | None = None):
    post = _editorial(slug)
    at = _aware(payload.at, "at") if payload is not None else None
    services.post_publish(post=post, at=at, by=request.auth.user)
    return _editorial(post.slug)


def _apply(post: Post, changes: dict, *, by, creating: bool) -> None:
    categories = _terms(Category, changes.pop("categories", None), "categories")
    tags = _terms(Tag, changes.pop("tags", None), "tags")
    for field in ("title", "body", "dek", "is_comments_open"):
        if changes.get(field) is not None:
            setattr(post, field, changes[field])
    if not post.title.strip():
        raise ApiError(422, fields={"title": "A title cannot be empty."})
    slug = changes.get("slug")
    if slug:
        if Post.objects.filter(slug=slug).exclude(pk=post.pk).exists():
            raise ApiError(409, f"Another post has the slug {slug!r}.", code="slug_taken")
        post.slug = slug
    elif creating:
        post.slug = _free_slug(post.title)
    try:
        with transaction.atomic():
            services.post_save(post=post, by=by)
            if categories is not None:
                post.categories.set(categories)
            if tags is not None:
                post.tags.set(tags)
    except IntegrityError as error:
        raise ApiError(409, "Another post has this slug.", code="slug_taken") from error


def _terms(model, slugs: list[str] | None, field: str):
    if slugs is None:
        return None
    found = {term.slug: term for term in model.objects.filter(slug__in=slugs)}
    missing = {
        f"{field}.{i}": f"No such slug {s!r}." for i, s in enumerate(slugs) if s not in found
    }
    if missing:
        raise ApiError(422, fields=missing)
    return [found[slug] for slug in dict.fromkeys(slugs)]


def _free_slug(title: str) -> str:
    base = slugify(title)[:240] or "post"
    taken = set(Post.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)
