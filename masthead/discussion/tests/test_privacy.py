"""A commenter's data: exported in full, erased on request with every number kept."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from masthead.discussion.models import Comment, CommentStatus, Subscription
from masthead.discussion.tests.factories import CommentFactory, SubscriptionFactory
from masthead.moderation.tests.factories import ReportFactory
from masthead.people.tests.factories import UserFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

EMAIL = "ada@example.org"


@pytest.fixture
def post():
    return PostFactory(published=True, title="Harbour sale")


@pytest.fixture
def ada(post):
    first = CommentFactory(
        post=post,
        name="Ada",
        email=EMAIL,
        url="https://ada.example",
        ip_address="192.0.2.7",
        user_agent="Lynx",
        body="The annex is *listed*.",
        wants_replies=True,
    )
    reply = CommentFactory(post=post, name="Bo", email="bo@example.org", parent=first)
    second = CommentFactory(post=post, name="Ada", email="ADA@example.org", body="Also the quay.")
    SubscriptionFactory(post=post, email=EMAIL)
    return first, reply, second


def _run(*args, capsys) -> str:
    call_command("privacy", *args)
    return capsys.readouterr().out


def test_export_prints_comments_subscriptions_and_reports(ada, post, capsys):
    user = UserFactory(email=EMAIL)
    ReportFactory(comment=ada[1], reporter=user, reporter_key=f"user:{user.pk}", detail="rude")
    data = json.loads(_run("export", EMAIL, capsys=capsys))
    first = data["comments"][0]
    assert [c["number"] for c in data["comments"]] == [1, 3]
    assert first["post_url"].endswith(post.get_absolute_url())
    assert (first["body"], first["ip_address"], first["user_agent"]) == (
        "The annex is *listed*.",
        "192.0.2.7",
        "Lynx",
    )
    assert first["url"] == "https://ada.example" and first["status"] == "approved"
    assert len(data["reply_subscriptions"]) == 1
    assert data["reports_filed"][0]["detail"] == "rude"


def test_export_finds_a_signed_in_readers_comments_by_their_account(post, capsys):
    CommentFactory(post=post, user=UserFactory(email=EMAIL), email="")
    data = json.loads(_run("export", EMAIL, capsys=capsys))
    assert len(data["comments"]) == 1


def test_erase_anonymises_and_keeps_words_and_numbers(ada, capsys):
    out = _run("erase", EMAIL, capsys=capsys)
    assert "2 comment(s) anonymised, 1 reply subscription(s) deleted." in out
    first = Comment.objects.get(pk=ada[0].pk)
    assert (first.name, first.email, first.url, first.user_agent) == ("Former reader", "", "", "")
    assert first.ip_address is None and not first.wants_replies
    assert first.body == "The annex is *listed*." and first.status == CommentStatus.APPROVED
    assert list(Comment.objects.values_list("number", flat=True)) == [1, 2, 3]
    assert Comment.objects.get(pk=ada[1].pk).name == "Bo"
    assert not Subscription.objects.exists()


def test_erase_with_delete_leaves_empty_removed_placeholders(ada, post, capsys):
    out = _run("erase", EMAIL, "--delete", capsys=capsys)
    assert "2 comment(s) removed" in out
    first = Comment.objects.get(pk=ada[0].pk)
    assert (first.status, first.body, first.body_html) == (CommentStatus.REMOVED, "", "")
    assert first.name == "Former reader" and first.number == 1
    assert Comment.objects.get(pk=ada[1].pk).parent_id == first.pk
    post.refresh_from_db()
    assert post.comment_count == 1


def test_erase_again_changes_nothing(ada, capsys):
    _run("erase", EMAIL, "--delete", capsys=capsys)
    out = _run("erase", EMAIL, "--delete", capsys=capsys)
    assert "0 comment(s) removed, 0 reply subscription(s) deleted." in out


@pytest.mark.usefixtures("page_cache")
@pytest.mark.parametrize("args", [(), ("--delete",)])
def test_erase_purges_the_cached_post_page(ada, post, args, django_capture_on_commit_callbacks):
    url = post.get_absolute_url()
    Client().get(url)
    assert Client().get(url)["X-Masthead-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("privacy", "erase", EMAIL, *args)
    page = Client().get(url)
    assert page["X-Masthead-Cache"] == "miss"
    assert b"ada.example" not in page.content
    assert (b"listed" in page.content) is not bool(args)


@pytest.mark.parametrize("action", ["export", "erase"])
def test_an_invalid_address_is_a_clear_error(action):
    with pytest.raises(CommandError, match="is not an e-mail address"):
        call_command("privacy", action, "not-an-address")
