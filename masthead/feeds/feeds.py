"""RSS and Atom for the site, and for each category, tag and author."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from masthead.people.models import AuthorProfile
from masthead.publishing import selectors
from masthead.publishing.models import Category, Tag

FEED_LENGTH = 20


class SiteRss(Feed):
    description_template = None

    def title(self, obj=None):
        return settings.SITE_NAME

    def description(self, obj=None):
        return settings.SITE_TAGLINE

    def link(self, obj=None):
        return reverse("publishing:front")

    def items(self, obj=None):
        return selectors.post_list_published()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.dek or item.title

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.display_name

    def item_author_link(self, item):
        return settings.SITE_URL + item.author.get_absolute_url()

    def item_categories(self, item):
        return [term.name for term in [*item.categories.all(), *item.tags.all()] if term.name]


class SiteAtom(SiteRss):
    feed_type = Atom1Feed
    subtitle = SiteRss.description


class CategoryRss(SiteRss):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def items(self, obj=None):
        return selectors.post_list_for_category(obj)[:FEED_LENGTH]


class CategoryAtom(CategoryRss):
    feed_type = Atom1Feed
    subtitle = SiteRss.description


class TagRss(SiteRss):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: tagged {obj.name}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def items(self, obj=None):
        return selectors.post_list_for_tag(obj)[:FEED_LENGTH]


class TagAtom(TagRss):
    feed_type = Atom1Feed
    subtitle = SiteRss.description


class AuthorRss(SiteRss):
    def get_object(self, request, slug):
        return get_object_or_404(AuthorProfile, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME}: {obj.display_name}"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def items(self, obj=None):
        return selectors.post_list_for_author(obj)[:FEED_LENGTH]


class AuthorAtom(AuthorRss):
    feed_type = Atom1Feed
    subtitle = SiteRss.description
