"""The demo post's discussion: seventeen comments of the model page's shape, loaded once."""

import datetime

from django.db import transaction

from masthead.discussion import pipeline, services
from masthead.discussion.models import Comment, CommentStatus
from masthead.publishing import demo_content
from masthead.publishing.models import Post


def demo_load() -> str:
    """Load the thread under the first demo post; a second run changes nothing."""
    post = Post.objects.filter(slug=demo_content.POSTS[0]["slug"]).first()
    if post is None:
        return "no demo post to discuss"
    with transaction.atomic():
        created = sum(
            services.comment_import(
                post=post,
                import_ref=f"demo:{position}",
                name=data["name"],
                email=data["email"],
                url=data["url"],
                body=data["body"],
                created_at=post.published_at + datetime.timedelta(minutes=data["minutes_after"]),
                **_judged(post, data),
            )[1]
            for position, data in enumerate(demo_content.COMMENTS, start=1)
        )
        linked = services.mention_resolve_for_post(post=post)
        count = services.comment_count_refresh(post=post)
    total = Comment.objects.filter(post=post).count()
    return f"{total} comments ({created} new, {linked} @-replies linked), {count} visible"


def _judged(post, data) -> dict:
    """The demo comment's status from the site's pipeline. Without a form age or an address the
    pipeline judges what the comment says, not how it was sent (moderation documents this)."""
    fields = {key: data[key] for key in ("name", "email", "url", "body")}
    decision = pipeline.decide(Comment(post=post, **fields), pipeline.SubmissionContext(post=post))
    if decision.is_rejected:
        return {"status": CommentStatus.REMOVED, "status_reason": decision.reason}
    return {"status": decision.status, "status_reason": decision.reason}
