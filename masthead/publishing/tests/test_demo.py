import pytest
from django.core.management import call_command

from masthead.media.models import Image
from masthead.people.models import AuthorProfile, AuthorStatus
from masthead.publishing import demo_content
from masthead.publishing.models import Category, Post, Revision, Tag

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Post, AuthorProfile, Category, Tag, Image, Revision)]


def test_demo_loads_once_and_a_second_run_changes_nothing():
    call_command("demo")
    first = _counts()
    snapshot = list(Post.objects.order_by("pk").values())
    call_command("demo")
    assert _counts() == first
    assert list(Post.objects.order_by("pk").values()) == snapshot
    assert first[:3] == [4, 3, len(demo_content.CATEGORIES)]


def test_demo_post_has_the_model_page_shape(client):
    call_command("demo")
    post = Post.objects.get(slug=demo_content.POSTS[0]["slug"])
    assert 1100 <= len(post.body_text.split()) <= 1400
    assert post.author.status == AuthorStatus.RETIRED
    assert post.categories.count() == 3 and post.tags.count() >= 3
    assert post.featured_image.alt_text and post.featured_image.caption
    assert post.featured_image.width == 1200
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<figcaption>— <cite>" in html
    assert "Retired in June 2026" in html
    assert client.get(post.featured_image.file.url).status_code == 200
