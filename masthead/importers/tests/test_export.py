import io
from pathlib import Path

import pytest
from django.core.management import call_command

from masthead.discussion.models import Comment
from masthead.importers.wordpress import WordPressImport, wordpress_import
from masthead.media.models import Image
from masthead.people.models import AuthorProfile
from masthead.publishing.models import Category, Post, Tag

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db


def _site():
    posts = {
        p.slug: (p.title, p.status, p.published_at, p.body_html, p.dek, p.author.display_name,
                 sorted(p.categories.values_list("slug", flat=True)),
                 sorted(p.tags.values_list("slug", flat=True)), p.is_comments_open)
        for p in Post.objects.select_related("author")
    }  # fmt: skip
    comments = sorted(
        (c.post.slug, c.number, c.name, c.body, c.status, c.parent.number if c.parent else None,
         c.created_at.replace(microsecond=0))
        for c in Comment.objects.select_related("post", "parent")
    )  # fmt: skip
    return posts, comments


def _empty_the_site():
    Comment.objects.all().delete()
    Post.objects.all().delete()
    while Category.objects.exists():
        Category.objects.filter(children=None).delete()
    for model in (Tag, AuthorProfile, Image):
        model.objects.all().delete()


def test_existing_terms_with_the_same_slug_are_reused_not_copied():
    call_command("demo")
    wordpress_import(DATA / "harbour-1.2.xml")
    assert Category.objects.filter(slug__startswith="elections").count() == 1


def test_export_then_import_into_an_empty_site_gives_the_same_site():
    call_command("demo")
    wordpress_import(DATA / "harbour-1.2.xml")
    before = _site()
    out = io.StringIO()
    call_command("export", "wordpress", stdout=out)
    exported = out.getvalue().encode()
    assert exported.startswith(b'<?xml version="1.0" encoding="UTF-8" ?>')
    assert b"<wp:wxr_version>1.2</wp:wxr_version>" in exported

    _empty_the_site()
    WordPressImport().run(io.BytesIO(exported))
    after = _site()
    assert after[0] == before[0]
    assert after[1] == before[1]
