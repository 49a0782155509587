"""`masthead generate` makes a site of the size asked for, and hands comments to discussion."""

import sys
import types

from django.core.management import call_command

from masthead.core.tests.statistics import analyses, planned_rows
from masthead.publishing.models import Post

pytestmark = analyses


def test_generates_published_posts_filed_under_terms(client):
    call_command("generate", posts=25, batch=10, verbosity=0)
    posts = Post.objects.published()
    assert posts.count() == 25
    assert all(post.categories.exists() and post.tags.exists() for post in posts)
    assert len({post.slug for post in posts}) == 25
    newest = posts.first()
    assert "<p>" in newest.body_html and newest.body_text
    assert newest.title in client.get("/").content.decode()
    assert client.get(newest.get_absolute_url()).status_code == 200


def test_running_twice_adds_instead_of_colliding():
    call_command("generate", posts=5, verbosity=0)
    call_command("generate", posts=5, verbosity=0)
    assert Post.objects.count() == 10


def test_comments_are_made_by_the_discussion_generator(monkeypatch):
    calls = []
    fake = types.ModuleType("masthead.discussion.generate")
    fake.comments_generate = lambda **kwargs: calls.append(kwargs)
    monkeypatch.setitem(sys.modules, "masthead.discussion.generate", fake)
    call_command("generate", posts=3, comments=40, seed=3, verbosity=0)
    assert calls[0]["count"] == 40
    assert sorted(calls[0]["post_ids"]) == sorted(Post.objects.values_list("pk", flat=True))
    assert calls[0]["seed"] == 3


def test_the_query_planner_learns_the_new_sites_size():
    call_command("generate", posts=5, verbosity=0)
    assert planned_rows("publishing_post") == 5
