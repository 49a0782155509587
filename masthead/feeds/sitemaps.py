from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from masthead.people.models import AuthorProfile
from masthead.publishing.models import Category, Post, Tag


class PostSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self):
        return Post.objects.published().only("slug", "published_at", "updated_at")

    def lastmod(self, post):
        return post.updated_at


class TermSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.4

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.only("slug").order_by("slug")


class FrontSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["publishing:front"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "front": FrontSitemap,
    "posts": PostSitemap,
    "categories": TermSitemap(Category),
    "tags": TermSitemap(Tag),
    "authors": TermSitemap(AuthorProfile),
}
