"""Cursor pages: every item once, in order, however rows tie; cursors cannot be forged or moved."""

import datetime

import pytest
from django.utils import timezone

from masthead.api.pagination import cursor_dumps
from masthead.discussion.tests.factories import CommentFactory
from masthead.publishing.tests.factories import PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def walk(api, path: str) -> list[dict]:
    found, cursor = [], None
    while True:
        separator = "&" if "?" in path else "?"
        page = api.get(f"{path}{separator}cursor={cursor}" if cursor else path).json()
        found += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def test_posts_walk_newest_first_with_ties_broken(api):
    same = timezone.now() - datetime.timedelta(hours=2)
    posts = [PostFactory(published=True, published_at=same) for _ in range(5)]
    posts += [PostFactory(published=True) for _ in range(2)]
    slugs = [item["slug"] for item in walk(api, "/api/v1/posts?limit=2")]
    expected = sorted(posts, key=lambda p: (p.published_at, p.pk), reverse=True)
    assert slugs == [post.slug for post in expected]


def test_a_post_published_mid_walk_neither_repeats_nor_hides_others(api):
    for _ in range(4):
        PostFactory(published=True)
    first = api.get("/api/v1/posts?limit=2").json()
    PostFactory(published=True)
    rest = api.get(f"/api/v1/posts?limit=10&cursor={first['next_cursor']}").json()
    slugs = [item["slug"] for item in first["items"] + rest["items"]]
    assert len(slugs) == len(set(slugs)) == 4


def test_terms_walk_by_name(api):
    for name in ["delta", "alpha", "charlie", "bravo", "echo"]:
        TagFactory(name=name)
    names = [item["name"] for item in walk(api, "/api/v1/tags?limit=2")]
    assert names == ["alpha", "bravo", "charlie", "delta", "echo"]


def test_threads_page_by_top_level_comment(api):
    post = PostFactory(published=True)
    roots = [CommentFactory(post=post) for _ in range(3)]
    CommentFactory(post=post, parent=roots[0])
    items = walk(api, f"/api/v1/posts/{post.slug}/comments?limit=2")
    assert [item["number"] for item in items] == [1, 2, 3]
    assert [reply["number"] for reply in items[0]["replies"]] == [4]


@pytest.mark.parametrize("cursor", ["nonsense", "W10:1xVjXy:AAAA", ""])
def test_a_forged_cursor_is_refused(api, cursor):
    PostFactory(published=True)
    response = api.get(f"/api/v1/posts?cursor={cursor}")
    if cursor:
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "bad_cursor"
    else:
        assert response.status_code == 200


def test_a_cursor_from_another_list_is_refused(api):
    for name in ["alpha", "bravo", "charlie"]:
        TagFactory(name=name)
    cursor = api.get("/api/v1/tags?limit=1").json()["next_cursor"]
    response = api.get(f"/api/v1/categories?cursor={cursor}")
    assert response.json()["error"]["code"] == "bad_cursor"


def test_a_cursor_of_the_wrong_layout_is_refused(api):
    cursor = cursor_dumps(["not a date", "x"], name="posts")
    assert api.get(f"/api/v1/posts?cursor={cursor}").status_code == 400
