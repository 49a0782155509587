"""Write the site as a WordPress export (WXR 1.2) that WordPress's own importer reads.

Posts go out as their rendered HTML, comments with their numbers as WordPress comment ids,
their parents and statuses, so importing the file into an empty Masthead gives back the same
posts, threads and numbers.
"""

from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.db.models import Prefetch

from masthead.discussion.models import Comment, CommentStatus
from masthead.people.models import AuthorProfile
from masthead.publishing.models import Category, Post, PostStatus, Tag

WP_STATUS = {
    PostStatus.PUBLISHED: "publish",
    PostStatus.SCHEDULED: "future",
    PostStatus.DRAFT: "draft",
}
WP_COMMENT_STATUS = {
    CommentStatus.APPROVED: "1",
    CommentStatus.PENDING: "0",
    CommentStatus.SPAM: "spam",
    CommentStatus.REMOVED: "trash",
}
BATCH = 200


def cdata(text: str) -> str:
    return "<![CDATA[" + (text or "").replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _stamp(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "0000-00-00 00:00:00"


def author_login(author: AuthorProfile) -> str:
    ref = author.import_ref or ""
    return ref.rsplit(":", 1)[-1] if ref.startswith("wxr:") else author.slug


def export_wordpress() -> Iterator[str]:
    site = settings.SITE_URL
    yield (
        '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
        f"<title>{escape(settings.SITE_NAME)}</title>\n<link>{escape(site)}</link>\n"
        f"<description>{escape(settings.SITE_TAGLINE)}</description>\n"
        "<wp:wxr_version>1.2</wp:wxr_version>\n"
        f"<wp:base_site_url>{escape(site)}</wp:base_site_url>\n"
        f"<wp:base_blog_url>{escape(site)}</wp:base_blog_url>\n"
    )
    for index, author in enumerate(AuthorProfile.objects.order_by("pk"), start=1):
        yield (
            f"<wp:author><wp:author_id>{index}</wp:author_id>"
            f"<wp:author_login>{cdata(author_login(author))}</wp:author_login>"
            f"<wp:author_email>{cdata(author.user.email if author.user else '')}</wp:author_email>"
            f"<wp:author_display_name>{cdata(author.display_name)}</wp:author_display_name>"
            "</wp:author>\n"
        )
    for category in Category.objects.select_related("parent").order_by("pk"):
        yield (
            f"<wp:category><wp:term_id>{category.pk}</wp:term_id>"
            f"<wp:category_nicename>{cdata(category.slug)}</wp:category_nicename>"
            f"<wp:category_parent>{cdata(category.parent.slug if category.parent else '')}"
            f"</wp:category_parent><wp:cat_name>{cdata(category.name)}</wp:cat_name>"
            f"<wp:category_description>{cdata(category.description)}</wp:category_description>"
            "</wp:category>\n"
        )
    for tag in Tag.objects.order_by("pk"):
        yield (
            f"<wp:tag><wp:term_id>{tag.pk}</wp:term_id><wp:tag_slug>{cdata(tag.slug)}</wp:tag_slug>"
            f"<wp:tag_name>{cdata(tag.name)}</wp:tag_name></wp:tag>\n"
        )
    posts = Post.objects.select_related("author", "featured_image").prefetch_related(
        "categories",
        "tags",
        Prefetch("comments", queryset=Comment.objects.select_related("parent").order_by("number")),
    )
    last = 0
    while True:
        batch = list(posts.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            break
        for post in batch:
            yield _item(post, site)
        last = batch[-1].pk
    yield "</channel>\n</rss>\n"


def _item(post: Post, site: str) -> str:
    terms = "".join(
        f'<category domain="category" nicename={quoteattr(c.slug)}>{cdata(c.name)}</category>'
        for c in post.categories.all()
    ) + "".join(
        f'<category domain="post_tag" nicename={quoteattr(t.slug)}>{cdata(t.name)}</category>'
        for t in post.tags.all()
    )
    comments = "".join(_comment(c) for c in post.comments.all())
    return (
        f"<item><title>{cdata(post.title)}</title>"
        f"<link>{escape(site + post.get_absolute_url())}</link>"
        f"<dc:creator>{cdata(author_login(post.author))}</dc:creator>"
        f'<guid isPermaLink="false">{escape(site)}/?p={post.pk}</guid>'
        f"<description></description>"
        f"<content:encoded>{cdata(post.body_html)}</content:encoded>"
        f"<excerpt:encoded>{cdata(post.dek)}</excerpt:encoded>"
        f"<wp:post_id>{post.pk}</wp:post_id>"
        f"<wp:post_date>{_stamp(post.published_at)}</wp:post_date>"
        f"<wp:post_date_gmt>{_stamp(post.published_at)}</wp:post_date_gmt>"
        f"<wp:comment_status>{'open' if post.is_comments_open else 'closed'}</wp:comment_status>"
        f"<wp:post_name>{cdata(post.slug)}</wp:post_name>"
        f"<wp:status>{WP_STATUS[post.status]}</wp:status>"
        "<wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type>"
        f"{terms}{comments}</item>\n"
    )


def _comment(comment: Comment) -> str:
    return (
        f"<wp:comment><wp:comment_id>{comment.number}</wp:comment_id>"
        f"<wp:comment_author>{cdata(comment.name)}</wp:comment_author>"
        f"<wp:comment_author_email>{cdata(comment.email)}</wp:comment_author_email>"
        f"<wp:comment_author_url>{escape(comment.url)}</wp:comment_author_url>"
        f"<wp:comment_author_IP>{escape(comment.ip_address or '')}</wp:comment_author_IP>"
        f"<wp:comment_date>{_stamp(comment.created_at)}</wp:comment_date>"
        f"<wp:comment_date_gmt>{_stamp(comment.created_at)}</wp:comment_date_gmt>"
        f"<wp:comment_content>{cdata(comment.body)}</wp:comment_content>"
        f"<wp:comment_approved>{WP_COMMENT_STATUS[comment.status]}</wp:comment_approved>"
        "<wp:comment_type>comment</wp:comment_type>"
        f"<wp:comment_parent>{comment.parent.number if comment.parent else 0}</wp:comment_parent>"
        "<wp:comment_user_id>0</wp:comment_user_id></wp:comment>"
    )
