from django.contrib.sitemaps.views import sitemap
from django.urls import path

from masthead.feeds import feeds, views
from masthead.feeds.sitemaps import SITEMAPS

app_name = "feeds"

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("feed/", feeds.SiteRss(), name="site-rss"),
    path("feed/atom/", feeds.SiteAtom(), name="site-atom"),
    path("category/<slug:slug>/feed/", feeds.CategoryRss(), name="category-rss"),
    path("category/<slug:slug>/feed/atom/", feeds.CategoryAtom(), name="category-atom"),
    path("tag/<slug:slug>/feed/", feeds.TagRss(), name="tag-rss"),
    path("tag/<slug:slug>/feed/atom/", feeds.TagAtom(), name="tag-atom"),
    path("author/<slug:slug>/feed/", feeds.AuthorRss(), name="author-rss"),
    path("author/<slug:slug>/feed/atom/", feeds.AuthorAtom(), name="author-atom"),
]
