"""The comment form is drawn by Jinja2 and reads exactly as Django's templates would draw it."""

import pytest
from django.forms.renderers import DjangoTemplates, Jinja2

from masthead.discussion import forms
from masthead.discussion.forms import CommentForm
from masthead.people.tests.factories import UserFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("bound", [False, True])
def test_the_markup_is_what_django_templates_draw(signed_in, bound):
    post = PostFactory(published=True)
    user = UserFactory() if signed_in else None
    data = {"body": "", "email": "not an address", "name": "<Ada>"} if bound else None

    def drawn(renderer):
        form = CommentForm(data, post=post, user=user, renderer=renderer)
        form.initial["timestamp"] = form.fields["timestamp"].initial = "fixed"
        return "".join(str(field) + str(field.errors) for field in form) + str(form.errors)

    assert isinstance(CommentForm(post=post).renderer, Jinja2)
    assert drawn(Jinja2()) == drawn(DjangoTemplates())
    if bound and not signed_in:
        assert 'value="&lt;Ada&gt;"' in drawn(Jinja2())
        assert "Enter a valid email address." in drawn(Jinja2())


def test_a_sent_form_is_drawn_again_with_its_own_timestamp_and_signs_none(monkeypatch):
    post = PostFactory(published=True)
    drawn = CommentForm(post=post)["timestamp"].value()
    assert drawn
    monkeypatch.setattr(
        forms, "form_timestamp", lambda post_id: pytest.fail("a sent form was stamped again")
    )
    sent = CommentForm({"timestamp": drawn, "body": ""}, post=post)
    assert not sent.is_valid()
    assert f'value="{drawn}"' in str(sent["timestamp"])
