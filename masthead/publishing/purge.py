"""Which reader pages a change touches, and the page-cache purges that follow it.

A change to a post reaches its page (at the old address and the new one), the front page, the
site feeds and the sitemap, its year, month and day archives, each of its categories (and the
categories above them, which list their children's posts), its tags and its author, each with
their feeds. When an author's number of published posts changes, every one of that author's post
pages shows it in the author box, so those go too. A change that shows on every page (a category,
tag or author renamed or removed) purges everything.

``post_purge`` and ``purge_came_due`` are the entry points: services call the first through
``transaction.on_commit``; the page cache calls the second when a scheduled post's time comes.
These lists are also what the CDN purge webhook receives (docs/deploy.md).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from masthead.core import pagecache
from masthead.people.models import AuthorProfile
from masthead.publishing import selectors
from masthead.publishing.models import Category, Post, PostStatus, Tag

SITE_WIDE = frozenset({"/", "/feed/", "/feed/atom/", "/sitemap.xml"})


@dataclass(frozen=True)
class PostState:
    """What of a post decides which pages show it, as it stood at one moment."""

    paths: frozenset[str]
    is_public: bool
    author_id: int


def with_feeds(path: str) -> list[str]:
    return [path, f"{path}feed/", f"{path}feed/atom/"]


def post_state(post_id: int) -> PostState | None:
    post = (
        Post.objects.filter(pk=post_id)
        .select_related("author")
        .prefetch_related("categories", "tags")
        .first()
    )
    if post is None:
        return None
    return PostState(frozenset(post_paths(post)), post.is_published, post.author_id)


def post_paths(post: Post) -> set[str]:
    paths = set(with_feeds(post.author.get_absolute_url()))
    if post.published_at is not None:
        paths.add(post.get_absolute_url())
        paths.update(date_archive_paths(post.published_at))
    for category in post.categories.all():
        for term in [*selectors.category_ancestors(category), category]:
            paths.update(with_feeds(term.get_absolute_url()))
    for tag in post.tags.all():
        paths.update(with_feeds(tag.get_absolute_url()))
    return paths


def date_archive_paths(when: datetime.datetime) -> list[str]:
    local = timezone.localtime(when)
    return [
        reverse("publishing:archive-year", kwargs={"year": local.year}),
        reverse("publishing:archive-month", kwargs={"year": local.year, "month": local.month}),
        reverse(
            "publishing:archive-day",
            kwargs={"year": local.year, "month": local.month, "day": local.day},
        ),
    ]


def author_post_paths(author_id: int) -> set[str]:
    posts = Post.objects.published().filter(author_id=author_id).only("slug", "published_at")
    return {post.get_absolute_url() for post in posts}


def post_purge(*, post_id: int, before: PostState | None) -> None:
    """Purge what a post's change touched; ``before`` is its state before the change."""
    purge_states([state for state in (before, post_state(post_id)) if state is not None])


def purge_states(states: list[PostState]) -> None:
    if not any(state.is_public for state in states):
        # A draft, or a post still waiting for its time: no reader saw it, nothing to purge;
        # only the time of the next scheduled publication may have moved.
        pagecache.forget_next_change()
        return
    paths = set(SITE_WIDE).union(*(state.paths for state in states))
    shown = {(state.is_public, state.author_id) for state in states}
    if len(states) == 1 or len(shown) > 1:
        for author_id in {state.author_id for state in states}:
            paths |= author_post_paths(author_id)
    pagecache.purge_paths(paths)


def next_change_at() -> datetime.datetime | None:
    """When the next scheduled post appears (the page cache keeps nothing past that)."""
    return (
        Post.objects.filter(status=PostStatus.SCHEDULED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def purge_came_due(at: float) -> None:
    """Purge the pages of the posts that became public at ``at`` (a POSIX time)."""
    when = datetime.datetime.fromtimestamp(at, tz=datetime.UTC)
    due = Post.objects.filter(
        status=PostStatus.SCHEDULED,
        published_at__gte=when - datetime.timedelta(seconds=1),
        published_at__lte=timezone.now(),
    ).values_list("pk", flat=True)
    for post_id in due:
        purge_states([state for state in [post_state(post_id)] if state is not None])


@receiver(pre_delete, sender=Post, dispatch_uid="publishing.purge.post_deleted")
def _post_deleted(sender, instance, **kwargs):
    state = post_state(instance.pk)
    if state is not None:
        transaction.on_commit(lambda: purge_states([state]))


@receiver(post_save, sender=Category, dispatch_uid="publishing.purge.category_saved")
@receiver(post_save, sender=Tag, dispatch_uid="publishing.purge.tag_saved")
@receiver(post_save, sender=AuthorProfile, dispatch_uid="publishing.purge.author_saved")
def _shown_everywhere_saved(sender, instance, created, **kwargs):
    # A new term or author is on no page until a post names it, and that post's save purges.
    if not created:
        transaction.on_commit(pagecache.purge_all)


@receiver(pre_delete, sender=Category, dispatch_uid="publishing.purge.category_deleted")
@receiver(pre_delete, sender=Tag, dispatch_uid="publishing.purge.tag_deleted")
@receiver(pre_delete, sender=AuthorProfile, dispatch_uid="publishing.purge.author_deleted")
def _shown_everywhere_deleted(sender, instance, **kwargs):
    transaction.on_commit(pagecache.purge_all)
