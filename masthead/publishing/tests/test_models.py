import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from masthead.publishing.models import Category, Post, Tag
from masthead.publishing.tests.factories import CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_slug_is_made_from_the_title_and_can_be_edited():
    post = PostFactory(title="Council Sells the Harbour!")
    assert post.slug == "council-sells-the-harbour"
    post.slug = "harbour-sale"
    post.save()
    post.refresh_from_db()
    assert post.slug == "harbour-sale"


def test_slug_is_unique():
    PostFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        PostFactory(slug="same")


def test_body_is_rendered_and_stored_on_the_row():
    post = PostFactory(body="Hello *there*\n\n> Quote\n>\n> — The Ledger")
    stored = Post.objects.values_list("body_html", "body_text").get(pk=post.pk)
    assert "<em>there</em>" in stored[0]
    assert "<cite>The Ledger</cite>" in stored[0]
    assert stored[1].startswith("Hello there")


@pytest.mark.parametrize("model", [Category, Tag])
@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_terms_with_blank_names_cannot_be_saved(model, name):
    with pytest.raises(ValidationError):
        model(name=name).save()
    assert not model.objects.exists()


@pytest.mark.parametrize("model", [Category, Tag])
def test_database_refuses_blank_term_names_too(model):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.bulk_create([model(name="  ", slug="blank")])


def test_database_refuses_a_blank_title():
    post = PostFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=post.pk).update(title="   ")


def test_category_cannot_be_its_own_ancestor():
    parent = CategoryFactory(name="Politics")
    child = CategoryFactory(name="Elections", parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError):
        parent.save()


def test_term_names_are_trimmed():
    assert Tag.objects.create(name="  harbour  ").name == "harbour"
