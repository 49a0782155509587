import datetime
import re

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.utils import timezone

from masthead.discussion import services
from masthead.discussion.forms import TIMESTAMP_SALT, form_timestamp
from masthead.discussion.models import Comment, CommentStatus
from masthead.discussion.pipeline import Decision
from masthead.discussion.rendering import FRESH_COOKIE
from masthead.discussion.tests.factories import CommentFactory
from masthead.people.tests.factories import UserFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def post():
    return PostFactory(published=True, title="Harbour sale")


def _form(post, **fields):
    data = {
        "name": "Ines Maro",
        "email": "ines.maro@example.net",
        "url": "",
        "body": "The annex should be published.",
        "timestamp": form_timestamp(post.pk),
        "action": "post",
    }
    return {**data, **fields}


def _create_url(post):
    return f"/comments/{post.slug}/"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_post_page_shows_the_numbered_thread(client, post):
    CommentFactory(post=post, name="Argon", body="First!")
    target = CommentFactory(post=post, name="Ines Maro")
    CommentFactory(post=post, name="Tobias", mention_of=target)
    html = _text(client.get(post.get_absolute_url()))
    assert re.search(
        r'href="#comment-2"><span class="visually-hidden">Comment </span>2\.</a>', html
    )
    assert 'Ines Maro</span> <span class="comment-says">says:</span>' in html
    assert '<a href="#comment-2">in reply to #2 Ines Maro</a>' in html
    assert 'id="comment-3"' in html
    assert "vendor/htmx.min.js" in html


def test_a_shared_post_page_loads_its_form_and_links_to_the_write_page(client, post):
    response = client.get(post.get_absolute_url())
    html = _text(response)
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in html
    assert 'name="timestamp"' not in html
    assert f'hx-get="/comments/{post.slug}/form/" hx-trigger="load"' in html
    assert f'<noscript><p class="comment-write"><a href="/comments/{post.slug}/write/">' in html
    newest = _text(client.get(f"{post.get_absolute_url()}?csort=newest"))
    assert f'hx-get="/comments/{post.slug}/form/?csort=newest"' in newest


def test_the_form_fragment_is_private_and_its_token_posts(post):
    browser = Client(enforce_csrf_checks=True)
    fragment = browser.get(f"/comments/{post.slug}/form/", headers=HTMX)
    assert fragment.status_code == 200
    assert "private" in fragment["Cache-Control"]
    assert "no-store" in fragment["Cache-Control"]
    assert "csrftoken" in fragment.cookies
    html = fragment.content.decode()
    assert html.strip().startswith('<form id="respond"')
    assert 'name="homepage"' in html
    fields = {**_form(post), **_hidden_fields(html)}
    response = browser.post(_create_url(post), fields, headers=HTMX)
    assert response.status_code == 200
    assert Comment.objects.get().body == "The annex should be published."


def test_the_form_fragment_sends_a_reader_without_javascript_to_the_write_page(client, post):
    response = client.get(f"/comments/{post.slug}/form/")
    assert response["Location"] == f"/comments/{post.slug}/write/"


def _hidden_fields(html: str) -> dict:
    return dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', html))


def test_the_form_fragment_of_a_closed_post_says_so(client, post):
    post.is_comments_open = False
    post.save()
    html = client.get(f"/comments/{post.slug}/form/", headers=HTMX).content.decode()
    assert "Comments are closed on this post." in html
    assert "<form" not in html


def test_the_write_page_takes_a_reply_without_javascript(post):
    CommentFactory(post=post, name="Argon", body="The vote is on Tuesday.")
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(f"/comments/{post.slug}/write/?reply=1")
    html = _text(page)
    assert "no-store" in page["Cache-Control"]
    assert "Harbour sale" in html
    assert "The vote is on Tuesday." in html
    assert "Reply to #1 Argon" in html
    fields = _hidden_fields(page.content.decode())
    assert fields["parent"] == "1"
    refused = browser.post(_create_url(post), {**_form(post), "parent": "1"})
    assert refused.status_code == 403
    response = browser.post(_create_url(post), {**_form(post), **fields})
    assert response["Location"] == f"/comments/{post.slug}/2/"
    assert browser.get(response["Location"])["Location"].endswith("#comment-2")
    assert Comment.objects.get(number=2).parent.number == 1


def test_the_write_page_shows_errors_and_previews_itself(client, post):
    response = client.post(_create_url(post), _form(post, body=" "))
    assert response.status_code == 400
    html = _text(response)
    assert "<h1>Write a comment</h1>" in html
    assert "Your comment is empty." in html


def test_the_write_page_replies_only_to_shown_comments(client, post):
    CommentFactory(post=post, pending=True)
    assert client.get(f"/comments/{post.slug}/write/?reply=1").status_code == 404
    assert client.get(f"/comments/{post.slug}/write/?reply=9").status_code == 404
    post.is_comments_open = False
    post.save()
    html = client.get(f"/comments/{post.slug}/write/").content.decode()
    assert "Comments are closed on this post." in html
    assert "comment-form" not in html


def test_a_comment_posted_without_javascript_redirects_to_its_permalink(client, post):
    response = client.post(_create_url(post), _form(post))
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/comments/{post.slug}/1/"
    assert client.get(response["Location"])["Location"].endswith(
        f"{post.get_absolute_url()}#comment-1"
    )
    assert comment.ip_address == "127.0.0.1"
    assert comment.user_agent == ""


def test_a_comment_posted_with_htmx_comes_back_in_place(client, post):
    response = client.post(_create_url(post), _form(post), headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Reswap"] == "outerHTML show:#comment-1:top"
    assert response["HX-Retarget"] == "#discussion"
    html = _text(response)
    assert html.strip().startswith('<div id="discussion"')
    assert '<span class="count" id="comment-count" hx-swap-oob="true">(1 comment)</span>' in html
    assert "The annex should be published." in html
    assert "Edit<span" in html
    assert "HX-Request" in response["Vary"]


def test_the_form_says_when_new_comments_land_on_the_page_shown(client, post, settings):
    settings.COMMENTS_PER_PAGE = 2
    form_url = f"/comments/{post.slug}/form/"
    assert f'hx-get="{form_url}" hx-trigger' in _text(client.get(post.get_absolute_url()))
    CommentFactory(post=post)
    # One page, oldest first: a new comment goes at the end of what the reader sees.
    assert f'hx-get="{form_url}?here=1"' in _text(client.get(post.get_absolute_url()))
    fragment = _text(client.get(f"{form_url}?here=1", headers=HTMX))
    assert '<input type="hidden" name="here" value="1">' in fragment
    CommentFactory.create_batch(2, post=post)
    first_page = _text(client.get(post.get_absolute_url()))
    assert f'hx-get="{form_url}" hx-trigger' in first_page
    assert f'hx-get="{form_url}?here=1"' in _text(client.get(f"{post.get_absolute_url()}?cpage=2"))
    newest = _text(client.get(f"{post.get_absolute_url()}?csort=newest"))
    assert "here=1" not in newest


def test_a_comment_posted_at_the_end_of_the_thread_is_added_in_place(client, post):
    CommentFactory(post=post, name="Argon", body="First!")
    services.comment_count_refresh(post=post)
    response = client.post(_create_url(post), _form(post, here="1"), headers=HTMX)
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    assert response["HX-Reswap"] == "outerHTML show:#comment-2:top"
    html = _text(response)
    # A fresh form in place of the one sent, the new comment added to the list on the page.
    assert html.strip().startswith('<form id="respond" class="comment-form"')
    assert "The annex should be published." not in html.split("</form>")[0]
    assert '<ol hx-swap-oob="beforeend:#comment-list"> <li class="comment-item">' in html
    assert 'id="comment-2" class="comment is-own"' in html
    assert "The annex should be published." in html
    assert "Edit<span" in html
    assert "Reply<span" in html
    assert "First!" not in html  # the thread is not drawn again
    assert '<span class="count" id="comment-count" hx-swap-oob="true">(2 comments)</span>' in html
    assert FRESH_COOKIE in response.cookies


def test_a_signed_in_reader_posting_at_the_end_gets_their_own_form_back(client, post):
    client.force_login(UserFactory(first_name="Ines", last_name="Maro"))
    CommentFactory(post=post, name="Argon", body="First!")
    response = client.post(
        _create_url(post), {**_form(post, here="1"), "name": "", "email": ""}, headers=HTMX
    )
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    html = _text(response)
    assert html.strip().startswith('<form id="respond" class="comment-form"')
    assert "Commenting as <strong>Ines Maro</strong>." in html.split("</form>")[0]
    assert 'id="comment-2" class="comment is-own"' in html
    assert "First!" not in html


def held(comment, context):
    return Decision(CommentStatus.PENDING, reason="held for the test")


def caught(comment, context):
    return Decision(CommentStatus.SPAM, reason="spam for the test")


def test_a_held_comment_is_added_for_its_author_and_a_spam_one_is_not(client, post, settings):
    CommentFactory(post=post, name="Argon", body="First!")
    settings.COMMENT_PIPELINE = f"{__name__}.held"
    waiting = _text(client.post(_create_url(post), _form(post, here="1"), headers=HTMX))
    assert 'id="comment-2"' in waiting
    assert "Awaiting moderation: only you can see this comment for now." in waiting
    settings.COMMENT_PIPELINE = f"{__name__}.caught"
    spam = client.post(_create_url(post), _form(post, here="1", body="Cheap pills."), headers=HTMX)
    assert spam["HX-Retarget"] == "#discussion"  # the thread, which does not show it
    assert "Cheap pills." not in _text(spam)


def test_a_reply_or_a_comment_from_another_page_brings_the_discussion_back(client, post):
    parent = CommentFactory(post=post, name="Argon")
    reply = _form(post, parent=str(parent.number), here="1", body="Agreed.")
    answer = client.post(_create_url(post), reply, headers=HTMX)
    assert answer["HX-Retarget"] == "#discussion"
    assert _text(answer).strip().startswith('<div id="discussion"')
    elsewhere = client.post(_create_url(post), _form(post, body="Elsewhere."), headers=HTMX)
    assert elsewhere["HX-Retarget"] == "#discussion"


def test_the_poller_does_not_announce_the_readers_own_comments(client, post):
    CommentFactory(post=post)
    client.post(_create_url(post), _form(post, here="1"), headers=HTMX)
    poll = f"/comments/{post.slug}/poll/?after=1"
    assert "new comment" not in _text(client.get(poll, headers=HTMX))
    CommentFactory(post=post, name="Second Browser")
    html = _text(client.get(poll, headers=HTMX))
    assert "1 new comment" in html
    assert "focus=3" in html
    assert "new comment" in _text(Client().get(poll, headers=HTMX))


def test_the_form_is_protected_by_csrf(post):
    client = Client(enforce_csrf_checks=True)
    response = client.post(_create_url(post), _form(post))
    assert response.status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message", "status"),
    [
        ({"body": "   "}, "Your comment is empty.", 400),
        ({"body": "x" * 10_001}, "the limit is 10,000", 400),
        ({"email": "not-an-address"}, "Enter a valid email address.", 400),
        ({"name": " "}, "Please give a name", 400),
        ({"timestamp": "forged"}, "This form was changed", 400),
    ],
)
def test_bad_input_gets_a_clear_answer_and_stores_nothing(client, post, fields, message, status):
    for headers in ({}, HTMX):
        response = client.post(_create_url(post), _form(post, **fields), headers=headers)
        assert response.status_code == status
        assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_the_same_comment_twice_is_refused(client, post):
    client.post(_create_url(post), _form(post))
    response = client.post(_create_url(post), _form(post))
    assert response.status_code == 400
    assert "You already posted this." in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_closed_post_answers_403_with_a_message(client, post):
    post.is_comments_open = False
    post.save()
    response = client.post(_create_url(post), _form(post))
    assert response.status_code == 403
    assert "Comments are closed on this post." in response.content.decode()
    assert not Comment.objects.exists()
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Comments are closed on this post." in page
    assert 'id="respond"' not in page


def test_a_form_older_than_a_day_is_refused(client, post):
    stale = signing.dumps([post.pk, 0], salt=TIMESTAMP_SALT)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        response = client.post(_create_url(post), _form(post, timestamp=stale))
    assert "more than a day old" in response.content.decode()


def test_a_form_for_another_post_is_refused(client, post):
    other = PostFactory(published=True)
    response = client.post(_create_url(post), _form(post, timestamp=form_timestamp(other.pk)))
    assert "belongs to another post" in response.content.decode()


def test_a_filled_honeypot_stores_nothing(client, post):
    response = client.post(_create_url(post), _form(post, homepage="http://x.example"))
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_preview_shows_the_rendered_comment_and_stores_nothing(client, post):
    fields = _form(post, body="**Bold** claim", action="preview")
    for headers in ({}, HTMX):
        response = client.post(_create_url(post), fields, headers=headers)
        assert response.status_code == 200
        assert "<strong>Bold</strong> claim" in response.content.decode()
        assert "Preview: not posted yet" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_reply_form_arrives_in_place_and_the_reply_nests(client, post):
    parent = CommentFactory(post=post, name="Argon")
    form = client.get(f"/comments/{post.slug}/1/reply/", headers=HTMX)
    html = form.content.decode()
    assert 'id="reply-form-1"' in html
    assert 'value="1"' in html
    assert "Reply to #1 Argon" in html
    no_js = client.get(f"/comments/{post.slug}/1/reply/")
    assert no_js["Location"] == f"/comments/{post.slug}/write/?reply=1"
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'href="/comments/{post.slug}/write/?reply=1"' in page
    assert "Reply to #1 Argon" in client.get(no_js["Location"]).content.decode()
    client.post(_create_url(post), _form(post, parent="1"))
    assert Comment.objects.get(number=2).parent == parent
    page = _text(client.get(post.get_absolute_url()))
    assert re.search(
        r'<ol class="comment-replies">\s*<li class="comment-item">\s*<article id="comment-2"', page
    )


def test_remember_me_keeps_name_and_email_only_when_asked(client, post):
    client.post(_create_url(post), _form(post, remember="on"))
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'value="ines.maro@example.net"' in page
    del client.cookies[FRESH_COOKIE]  # a day on: the page is shared again, the form is not
    assert "ines.maro" not in client.get(post.get_absolute_url()).content.decode()
    fragment = client.get(f"/comments/{post.slug}/form/", headers=HTMX).content.decode()
    assert 'value="ines.maro@example.net"' in fragment
    client.post(_create_url(post), _form(post, body="Second, forget me."))
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'value="ines.maro@example.net"' not in page
    assert Client().get(post.get_absolute_url()).content.decode().count("ines.maro") == 0


def test_the_author_edits_inside_the_window(client, post):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(_create_url(post), _form(post))
    comment = Comment.objects.get()
    url = f"/comments/{post.slug}/1/edit/"
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):
        assert "Editing your comment #1" in client.get(url, headers=HTMX).content.decode()
        response = client.post(url, {"body": "Changed *my* mind."}, headers=HTMX)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Changed <em>my</em> mind." in html
        assert "· edited" in html
        assert client.post(url, {"body": "Again, no JS."})["Location"].endswith("#comment-1")
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        response = client.post(url, {"body": "Too late."})
        assert response.status_code == 403
        assert "15 minutes" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Again, no JS."


def test_nobody_else_may_edit_or_delete(client, post):
    client.post(_create_url(post), _form(post))
    stranger = Client()
    assert stranger.get(f"/comments/{post.slug}/1/edit/").status_code == 403
    assert stranger.post(f"/comments/{post.slug}/1/delete/").status_code == 403
    assert "Edit<span" not in stranger.get(post.get_absolute_url()).content.decode()
    forged = Client()
    forged.cookies[FRESH_COOKIE] = signing.dumps({"ids": [1]}, salt="something else")
    assert forged.get(f"/comments/{post.slug}/1/edit/").status_code == 403


def test_a_signed_in_author_edits_by_account(client, post):
    user = UserFactory()
    client.force_login(user)
    client.post(_create_url(post), {**_form(post), "name": "", "email": ""})
    comment = Comment.objects.get()
    assert comment.user == user
    assert client.get(f"/comments/{post.slug}/1/edit/").status_code == 200


def test_delete_asks_first_then_leaves_a_placeholder_for_replies(client, post):
    client.post(_create_url(post), _form(post))
    CommentFactory(post=post, parent=Comment.objects.get(number=1), name="Argon")
    url = f"/comments/{post.slug}/1/delete/"
    assert "Delete your comment #1?" in client.get(url).content.decode()
    assert client.post(url)["Location"].endswith("#comments")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "This comment was removed." in html
    assert "The annex should be published." not in html
    post.refresh_from_db()
    assert post.comment_count == 1


def test_a_permalink_lands_on_the_right_page(client, post, settings):
    settings.COMMENTS_PER_PAGE = 2
    for _ in range(5):
        CommentFactory(post=post)
    response = client.get(f"/comments/{post.slug}/5/")
    assert response["Location"] == f"{post.get_absolute_url()}?cpage=3#comment-5"
    newest = client.get(f"/comments/{post.slug}/5/?csort=newest")
    assert newest["Location"] == f"{post.get_absolute_url()}?csort=newest#comment-5"
    assert client.get(f"/comments/{post.slug}/99/").status_code == 404
    page = client.get(f"{post.get_absolute_url()}?cpage=3").content.decode()
    assert 'id="comment-5"' in page
    assert 'id="comment-1"' not in page
    assert "Comments page 3 of 3" in page


def test_newest_first_reverses_the_top_level(client, post):
    for _ in range(3):
        CommentFactory(post=post)
    html = client.get(f"{post.get_absolute_url()}?csort=newest").content.decode()
    assert html.index('id="comment-3"') < html.index('id="comment-1"')


def test_the_poll_answers_304_until_something_changes(client, post):
    CommentFactory(post=post)
    page = client.get(post.get_absolute_url()).content.decode()
    marker = re.search(r'If-None-Match": "\\"([^"\\]+)\\""', page).group(1)
    poll = f"/comments/{post.slug}/poll/?after=1"
    unchanged = client.get(poll, headers={**HTMX, "If-None-Match": f'"{marker}"'})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    CommentFactory(post=post, name="Second Browser")
    changed = client.get(poll, headers={**HTMX, "If-None-Match": f'"{marker}"'})
    assert changed.status_code == 200
    html = _text(changed)
    assert "1 new comment" in html
    assert f"/comments/{post.slug}/thread/?seen=1&amp;focus=2" in html
    assert changed["ETag"] != f'"{marker}"'
    assert "no-cache" in changed["Cache-Control"]


def test_showing_new_comments_marks_them_new(client, post):
    CommentFactory(post=post)
    CommentFactory(post=post)
    response = client.get(f"/comments/{post.slug}/thread/?seen=1&focus=2", headers=HTMX)
    html = response.content.decode()
    assert 'class="comment is-new"' in html
    assert html.count("is-new") == 1
    assert response["HX-Reswap"] == "outerHTML show:#comment-2:top"
    plain = client.get(f"/comments/{post.slug}/thread/?seen=1&focus=2")
    assert plain["Location"] == f"/comments/{post.slug}/2/"


def test_the_comment_count_shows_on_the_front_page(client, post):
    client.post(_create_url(post), _form(post))
    assert "1 comment</a>" in client.get("/").content.decode()


def test_a_pending_comment_is_shown_to_its_author_only(client, post, settings):
    settings.COMMENT_PIPELINE = "masthead.discussion.tests.test_services.held_for_review"
    client.post(_create_url(post), _form(post))
    assert "Awaiting moderation" in client.get(post.get_absolute_url()).content.decode()
    assert "The annex" not in Client().get(post.get_absolute_url()).content.decode()


def test_a_draft_shows_no_form_and_takes_no_comments(client):
    draft = PostFactory()
    assert client.post(f"/comments/{draft.slug}/", _form(draft)).status_code == 404
    staff = Client()
    staff.force_login(UserFactory(staff=True))
    html = staff.get(draft.get_preview_url()).content.decode()
    assert "Comments open when the post is published." in html


def test_an_imported_at_reply_shows_in_reply_to(client, post):
    when = timezone.now() - datetime.timedelta(hours=2)
    for ref, name, body in [("a", "Argon", "First."), ("b", "Hollis", "@Argon: second")]:
        services.comment_import(post=post, import_ref=ref, name=name, body=body, created_at=when)
    services.mention_resolve_for_post(post=post)
    assert "in reply to #1 Argon" in client.get(post.get_absolute_url()).content.decode()
