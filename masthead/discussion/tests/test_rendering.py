"""The thread every reader without comments of their own shares, kept under its marker."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from masthead.discussion import rendering, selectors, services
from masthead.discussion.models import CommentStatus
from masthead.discussion.tests.factories import CommentFactory
from masthead.people.tests.factories import UserFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    post = PostFactory(published=True)
    CommentFactory(post=post, name="Argon", body="First.")
    return post


@pytest.fixture
def renders(monkeypatch):
    """Counts how often the thread's rows are read and rendered."""
    calls = []
    original = selectors.comment_tree_for_post

    def counting(**kwargs):
        calls.append(kwargs["post"].pk)
        return original(**kwargs)

    monkeypatch.setattr(selectors, "comment_tree_for_post", counting)
    return calls


def _page(client, post, query=""):
    return client.get(post.get_absolute_url() + query).content.decode()


def _thread(client, post):
    return _page(client, post).partition('<section id="comments"')[2]


def test_a_thread_is_rendered_once_and_then_kept(client, post, renders):
    first, second = _thread(client, post), _thread(client, post)
    assert renders == [post.pk]
    assert first == second
    assert "Argon" in second


def test_each_sort_and_page_is_kept_apart(client, post, renders):
    _page(client, post)
    _page(client, post, "?csort=newest")
    _page(client, post, "?cpage=2")
    assert len(renders) == 3


def test_a_new_comment_shows_at_once_without_a_purge(client, post, renders):
    _page(client, post)
    CommentFactory(post=post, name="Krypton", body="Second.")
    assert "Krypton" in _page(client, post)
    assert len(renders) == 2


def test_a_comment_moderated_away_disappears_at_once(client, post):
    spam = CommentFactory(post=post, name="Cheap Pills", body="Buy now.")
    assert "Cheap Pills" in _page(client, post)
    services.comment_status_set(comment=spam, status=CommentStatus.SPAM, reason="spam")
    assert "Cheap Pills" not in _page(client, post)


def test_an_edited_comment_shows_its_new_words(client, post):
    comment = post.comments.get()
    assert "First." in _page(client, post)
    comment.body_html = "<p>First, corrected.</p>"
    comment.save()
    assert "First, corrected." in _page(client, post)


def test_relinked_mentions_move_the_marker(post):
    CommentFactory(post=post, name="Krypton", body="@Argon: quite.")
    before = selectors.comment_marker_for_post_id(post_id=post.pk)
    assert services.mention_resolve_for_post(post=post) == 1
    assert selectors.comment_marker_for_post_id(post_id=post.pk) != before


def test_closing_comments_changes_the_kept_thread(client, post):
    assert "Reply<span" in _page(client, post)
    post.is_comments_open = False
    post.save()
    page = _page(client, post)
    assert "Comments are closed on this post." in page
    assert "Reply<span" not in page


def test_a_reader_with_a_pending_comment_is_not_given_the_shared_thread(client, post, renders):
    _page(client, post)
    mine = CommentFactory(post=post, name="Xenon", body="Mine.", status=CommentStatus.PENDING)
    client.cookies[rendering.FRESH_COOKIE] = rendering.signing.dumps(
        {"ids": [mine.pk]}, salt=rendering.FRESH_SALT, compress=True
    )
    assert "Awaiting moderation" in _page(client, post)
    del client.cookies[rendering.FRESH_COOKIE]
    assert "Xenon" not in _page(client, post)


def test_nothing_is_kept_when_the_setting_is_zero(client, post, renders, settings):
    settings.THREAD_CACHE_SECONDS = 0
    _page(client, post)
    _page(client, post)
    assert len(renders) == 2


def test_comment_links_are_those_django_reverses(post):
    links = rendering.CommentLinks.for_post(post)
    comment = post.comments.get()
    assert links.permalink(comment.number) == comment.get_absolute_url()
    assert links.reply(3) == f"/comments/{post.slug}/3/reply/"
    assert links.edit(3) == f"/comments/{post.slug}/3/edit/"
    assert links.delete(3) == f"/comments/{post.slug}/3/delete/"
    assert links.report(comment.pk) == f"/moderate/report/{comment.pk}/"


def _form_request(rf, query=""):
    request = rf.get(f"/comments/form/{query}")
    request.user = AnonymousUser()
    return request


def _reader_values(html: str) -> str:
    """The form with its two per-reader values (CSRF token, signed timestamp) blanked out."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)
    return re.sub(r'name="timestamp" value="[^"]+"', 'name="timestamp"', html)


@pytest.mark.parametrize("query", ["", "?here=1", "?csort=newest"])
def test_a_blank_form_drawn_once_is_the_form_the_template_draws(rf, post, query):
    request = _form_request(rf, query)
    context = rendering.form_context(request, post)
    drawn = render_to_string("discussion/discussion.html#comment-form", context, request=request)
    kept = rendering.blank_form_html(request, post)
    assert _reader_values(kept) == _reader_values(drawn)
    assert rendering.TOKEN_SLOT not in kept
    assert rendering.STAMP_SLOT not in kept
    # Each request gets its own token and a timestamp the form accepts.
    again = rendering.blank_form_html(_form_request(rf, query), post)
    token = 'name="csrfmiddlewaretoken" value="'
    assert kept.partition(token)[2][:64] != again.partition(token)[2][:64]
    stamp = kept.partition('name="timestamp" value="')[2].partition('"')[0]
    form = rendering.CommentForm({"timestamp": stamp}, post=post)
    form.is_valid()
    assert "timestamp" not in form.errors


def test_a_form_with_something_of_its_readers_is_drawn_every_time(rf, post):
    request = _form_request(rf)
    assert rendering.blank_form_html(request, post)
    remembered = _form_request(rf)
    remembered.COOKIES[rendering.COMMENTER_COOKIE] = rendering.signing.dumps(
        {"who": {"name": "Ines Maro", "email": "ines@example.net"}},
        salt=rendering.FRESH_SALT,
        compress=True,
    )
    context = rendering.form_context(remembered, post)
    assert context["form"].initial["name"] == "Ines Maro"
    assert rendering.blank_form_html(remembered, post) is None
    signed_in = _form_request(rf)
    signed_in.user = UserFactory()
    assert rendering.blank_form_html(signed_in, post) is None
