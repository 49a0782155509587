from pathlib import Path

import pytest

from masthead.importers.wordpress import wordpress_import
from masthead.publishing.models import Post

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    wordpress_import(DATA / "harbour-1.2.xml")
    return Post.objects.get(slug="council-votes-to-sell-the-harbour")


@pytest.mark.parametrize(
    "old",
    [
        "/?p=101",
        "/council-votes-to-sell-the-harbour/",
        "/council-votes-to-sell-the-harbour",
        "/2026/03/04/council-votes-to-sell-the-harbour/",
    ],
)
def test_old_wordpress_addresses_answer_301(client, post, old):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url()


def test_unknown_and_unpublished_old_addresses_stay_404(client, post):
    assert client.get("/?p=103").status_code == 200  # a draft: the front page, no redirect
    assert client.get("/no-such-slug/").status_code == 404
    assert client.get("/notes-for-a-column/").status_code == 404
