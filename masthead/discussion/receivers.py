"""The page cache's view of comments: which cached pages a comment's change reaches.

A comment that readers saw, or now see, changes its post's page and the comment feeds (the
post's and the site's). When the number of approved comments changes, so do the pages that show
it beside the post: the front page and every list the post is on (its archives, categories, tags
and author, from ``publishing.purge.post_paths``). A comment only its author sees (pending, spam)
changes no shared page: its author has the ``masthead_fresh`` cookie, which passes by the cache.
"""

from django.urls import reverse

from masthead.core import pagecache
from masthead.discussion.models import CommentStatus
from masthead.publishing import purge
from masthead.publishing.models import Post


def comment_pages_purge(sender, comment, post_id, previous_status, status, **kwargs) -> None:
    shown = {previous_status == CommentStatus.APPROVED, status == CommentStatus.APPROVED}
    if shown == {False}:
        return
    post = Post.objects.select_related("author").filter(pk=post_id).first()
    if post is None or not post.is_published:
        return
    pagecache.purge_paths(comment_paths(post, count_changed=len(shown) == 2))


def comment_paths(post: Post, *, count_changed: bool) -> set[str]:
    paths = {
        post.get_absolute_url(),
        reverse("discussion:post-feed", args=[post.slug]),
        reverse("discussion:site-feed"),
    }
    if count_changed:
        paths |= {"/", *purge.post_paths(post)}
    return paths
