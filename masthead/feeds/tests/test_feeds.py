import json
import re

import pytest
from defusedxml import ElementTree
from django.urls import reverse

from masthead.publishing.tests.factories import CategoryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def published():
    category, tag = CategoryFactory(name="Politics"), TagFactory(name="harbour")
    post = PostFactory(
        published=True, title="Harbour & <council>", categories=[category], tags=[tag]
    )
    PostFactory(title="A draft nobody sees")
    return post


def test_site_atom_is_valid_and_lists_published_posts(client, published):
    response = client.get(reverse("feeds:site-atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    assert titles == ["Harbour & <council>"]


def test_site_rss_is_valid(client, published):
    root = ElementTree.fromstring(client.get(reverse("feeds:site-rss")).content)
    assert [item.findtext("title") for item in root.iter("item")] == ["Harbour & <council>"]


@pytest.mark.parametrize("kind", ["category", "tag", "author"])
@pytest.mark.parametrize("flavour", ["rss", "atom"])
def test_term_and_author_feeds(client, published, kind, flavour):
    other = PostFactory(published=True, title="Unrelated story")
    slug = {
        "category": published.categories.get().slug,
        "tag": published.tags.get().slug,
        "author": published.author.slug,
    }[kind]
    response = client.get(reverse(f"feeds:{kind}-{flavour}", args=[slug]))
    assert response.status_code == 200
    ElementTree.fromstring(response.content)
    text = response.content.decode()
    assert "Harbour &amp; &lt;council&gt;" in text and other.title not in text


def test_unknown_term_feed_is_404(client):
    assert client.get(reverse("feeds:tag-atom", args=["nope"])).status_code == 404


def test_feeds_carry_last_modified_and_etag_and_answer_304(client, published):
    url = reverse("feeds:site-atom")
    response = client.get(url)
    assert response["Last-Modified"]
    assert response["ETag"]
    again = client.get(url, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    since = client.get(url, headers={"If-Modified-Since": response["Last-Modified"]})
    assert since.status_code == 304


def test_sitemap_lists_published_posts_and_terms(client, published):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    text = response.content.decode()
    assert published.get_absolute_url() in text
    assert "/category/politics/" in text and "/tag/harbour/" in text
    assert "a-draft-nobody-sees" not in text


def test_robots_txt_points_at_the_sitemap(client, settings):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text


def test_post_page_has_canonical_opengraph_and_news_article(client, published, settings):
    html = client.get(published.get_absolute_url()).content.decode()
    url = settings.SITE_URL + published.get_absolute_url()
    assert f'<link rel="canonical" href="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Harbour &amp; &lt;council&gt;">' in html
    payload = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    data = json.loads(payload.group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Harbour & <council>"
    assert data["mainEntityOfPage"] == url
    assert "<council>" not in payload.group(1)  # escaped inside the script element
