import pytest
from django.core.management import CommandError, call_command

from masthead.discussion.models import Comment
from masthead.discussion.tests.factories import CommentFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def _unlinked_reply(post):
    CommentFactory(post=post, name="Argon")
    return CommentFactory(post=post, name="Hollis", body="@Argon: fair")


def test_resolve_mentions_on_every_post(capsys):
    first, second = PostFactory(published=True), PostFactory(published=True)
    replies = [_unlinked_reply(first), _unlinked_reply(second)]
    call_command("resolve_mentions")
    assert "2 @-reply link(s) changed on 2 post(s)." in capsys.readouterr().out
    assert all(Comment.objects.get(pk=r.pk).mention_of_id for r in replies)


def test_resolve_mentions_on_one_post():
    first, second = PostFactory(published=True), PostFactory(published=True)
    mine, other = _unlinked_reply(first), _unlinked_reply(second)
    call_command("resolve_mentions", "--post", first.slug)
    assert Comment.objects.get(pk=mine.pk).mention_of_id
    assert Comment.objects.get(pk=other.pk).mention_of_id is None


def test_resolve_mentions_names_a_missing_post():
    with pytest.raises(CommandError, match="No post with the slug"):
        call_command("resolve_mentions", "--post", "nowhere")


def test_purge_comment_data_forgets_old_addresses(capsys):
    CommentFactory(old=True, ip_address="192.0.2.1", user_agent="Browser")
    call_command("purge_comment_data")
    assert "1 comment(s)" in capsys.readouterr().out
    assert Comment.objects.get().ip_address is None
