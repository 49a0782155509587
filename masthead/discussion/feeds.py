"""Atom feeds of approved comments: the whole site's at /comments/feed/ and each post's at
/comments/<post slug>/feed/. Two queries each, however many comments there are."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from masthead.core.markdown import plain_text
from masthead.discussion import selectors


class SiteCommentsAtom(Feed):
    feed_type = Atom1Feed

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: comments"

    def subtitle(self, obj=None):
        return f"The latest reader comments on {settings.SITE_NAME}"

    def link(self, obj=None):
        return reverse("publishing:front")

    def feed_url(self, obj=None):
        return reverse("discussion:site-feed")

    def items(self, obj=None):
        return selectors.comment_list_for_feed()

    def item_title(self, item):
        return f"#{item.number} {item.name} on “{item.post.title}”"

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.edited_at or item.created_at

    def item_author_name(self, item):
        return item.name

    def item_author_link(self, item):
        return item.safe_url or None


class PostCommentsAtom(SiteCommentsAtom):
    def get_object(self, request, slug):
        post = selectors.post_for_discussion(slug=slug)
        if post is None:
            raise Http404("No such post")
        return post

    def title(self, obj=None):
        return f"Comments on “{obj.title}”"

    def subtitle(self, obj=None):
        return plain_text(obj.dek) or obj.title

    def link(self, obj=None):
        return obj.get_absolute_url() + "#comments"

    def feed_url(self, obj=None):
        return reverse("discussion:post-feed", kwargs={"slug": obj.slug})

    def items(self, obj=None):
        return selectors.comment_list_for_feed(post=obj)

    def item_title(self, item):
        return f"#{item.number} {item.name}"
