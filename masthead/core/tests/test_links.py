import pytest
from django.test import override_settings
from django.urls import clear_script_prefix, path, reverse, set_script_prefix

from masthead.core.links import cached_reverse, site_links


def _view(request):
    raise AssertionError("never called")


urlpatterns = [path("elsewhere/<slug:slug>/", _view, name="author")]


def test_the_same_address_as_reverse():
    assert cached_reverse("publishing:author", slug="ada") == reverse(
        "publishing:author", kwargs={"slug": "ada"}
    )
    assert site_links()["atom"] == reverse("feeds:site-atom")


def test_kept_per_script_prefix():
    before = cached_reverse("publishing:tag", slug="harbour")
    set_script_prefix("/news/")
    try:
        assert cached_reverse("publishing:tag", slug="harbour") == "/news" + before
    finally:
        clear_script_prefix()
    assert cached_reverse("publishing:tag", slug="harbour") == before


def test_forgotten_when_the_urls_change():
    assert cached_reverse("publishing:front") == "/"
    with override_settings(ROOT_URLCONF=__name__):
        assert cached_reverse("author", slug="ada") == "/elsewhere/ada/"
    assert cached_reverse("publishing:author", slug="ada") == "/author/ada/"


@pytest.mark.django_db
def test_every_page_links_to_the_front_page_feeds_and_search(client):
    html = client.get("/no-such-page/").content.decode()  # the styled 404 too
    for name in ("publishing:front", "feeds:site-atom", "feeds:site-rss"):
        assert f'href="{reverse(name)}"' in html
    assert f'action="{reverse("publishing:search")}"' in html
