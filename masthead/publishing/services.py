"""Writes to posts that carry rules: revisions, publishing and restoring."""

import functools

from django.db import transaction
from django.utils import timezone

from masthead.publishing import purge
from masthead.publishing.models import Post, PostStatus, Revision


def post_save(*, post: Post, by=None) -> Post:
    """Save a post, keeping a revision whenever its words changed (or it is new).

    The pages it touched are purged once the outermost transaction commits, so its terms (which
    the admin saves after the post) are final by then.
    """
    with transaction.atomic():
        before = purge.post_state(post.pk) if post.pk else None
        previous = (
            Post.objects.filter(pk=post.pk).values("title", "dek", "body").first()
            if post.pk
            else None
        )
        if post.status == PostStatus.PUBLISHED and post.published_at is None:
            post.published_at = timezone.now()
        post.save()
        current = {"title": post.title, "dek": post.dek, "body": post.body}
        if previous != current:
            Revision.objects.create(post=post, created_by=by, **current)
        transaction.on_commit(functools.partial(purge.post_purge, post_id=post.pk, before=before))
    return post


def post_publish(*, post: Post, at=None, by=None) -> Post:
    """Publish now, or schedule for ``at``: a scheduled post appears by itself at its time."""
    now = timezone.now()
    post.published_at = at or post.published_at or now
    post.status = PostStatus.SCHEDULED if post.published_at > now else PostStatus.PUBLISHED
    return post_save(post=post, by=by)


def revision_restore(*, revision: Revision, by=None) -> Post:
    post = revision.post
    post.title, post.dek, post.body = revision.title, revision.dek, revision.body
    return post_save(post=post, by=by)
