import pytest
from defusedxml import ElementTree

from masthead.discussion.tests.factories import CommentFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content).findall(f"{ATOM}entry")


def test_a_posts_feed_lists_its_approved_comments_newest_first(client):
    post = PostFactory(published=True, title="Harbour sale")
    CommentFactory(post=post, name="Argon", body_html="<p>First <em>take</em></p>")
    CommentFactory(post=post, spam=True, name="Spammer")
    CommentFactory(post=post, name="Ines Maro")
    CommentFactory(name="Elsewhere")
    entries = _entries(client, f"/comments/{post.slug}/feed/")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["#3 Ines Maro", "#1 Argon"]
    link = entries[1].find(f"{ATOM}link").get("href")
    assert link.endswith(f"/comments/{post.slug}/1/")
    assert "<em>take</em>" in entries[1].findtext(f"{ATOM}summary")


def test_the_site_feed_leaves_out_drafts(client):
    CommentFactory(name="Visible", post=PostFactory(published=True, title="Open"))
    CommentFactory(name="Hidden", post=PostFactory(title="Draft"))
    titles = [e.findtext(f"{ATOM}title") for e in _entries(client, "/comments/feed/")]
    assert titles == ["#1 Visible on “Open”"]


def test_a_drafts_feed_is_not_found(client):
    assert client.get(f"/comments/{PostFactory().slug}/feed/").status_code == 404
