import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from masthead.discussion import services
from masthead.discussion.models import Subscription
from masthead.discussion.pipeline import SubmissionContext
from masthead.discussion.tests.factories import CommentFactory, SubscriptionFactory
from masthead.people.tests.factories import UserFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)


@pytest.fixture
def post():
    return PostFactory(published=True, title="Harbour sale")


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    """Post a comment and run what waits for the commit (the tasks), as a request would."""

    def submit(post, body, *, name="Argon", email="argon@example.net", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.comment_submit(
                post=post, body=body, name=name, email=email,
                context=SubmissionContext(post=post), **kwargs,
            )  # fmt: skip

    return submit


def _link(message, path):
    return re.search(rf"https?://\S+{path}\S+/", message.body).group(0)


def _path(url):
    return url.split("//", 1)[1].split("/", 1)[1].join(["/", ""])


def test_a_guest_confirms_their_address_before_any_reply_email(client, post, submit):
    parent = submit(post, "Sell it.", name="C. Clavin", email="cc@example.com", wants_replies=True)
    assert [m.to for m in mail.outbox] == [["cc@example.com"]]
    confirmation = mail.outbox[0]
    assert "Confirm reply e-mails" in confirmation.subject
    submit(post, "No.", parent=parent)
    assert len(mail.outbox) == 1, "no reply e-mail before the address is confirmed"

    url = _path(_link(confirmation, "/comments/confirm/"))
    assert "Confirm" in client.get(url).content.decode()
    assert not Subscription.objects.get().is_confirmed, "opening the link alone confirms nothing"
    assert "you're confirmed" in client.post(url).content.decode()
    assert Subscription.objects.get().is_confirmed

    submit(post, "Still no.", name="Fern", email="fern@example.com", parent=parent)
    reply_mail = mail.outbox[-1]
    assert reply_mail.to == ["cc@example.com"]
    assert reply_mail.subject == "Fern replied to your comment on “Harbour sale”"
    assert "Still no." in reply_mail.body
    assert f"/comments/{post.slug}/3/" in reply_mail.body


def test_a_signed_in_reader_needs_no_confirmation(post, submit):
    user = UserFactory(email="priya@example.org")
    parent = submit(post, "Mine.", user=user, wants_replies=True)
    assert mail.outbox == []
    submit(post, "Reply.", parent=parent)
    assert [m.to for m in mail.outbox] == [["priya@example.org"]]


def test_a_resolved_at_mention_counts_as_a_reply(post, submit):
    SubscriptionFactory(post=post, email="ines@example.net")
    CommentFactory(post=post, name="Ines Maro", email="ines@example.net", wants_replies=True)
    submit(post, "@Ines Maro: the honest answer")
    assert [m.to for m in mail.outbox] == [["ines@example.net"]]


def test_nobody_hears_about_their_own_reply_or_without_asking(post, submit):
    SubscriptionFactory(post=post, email="argon@example.net")
    mine = CommentFactory(post=post, name="Argon", email="argon@example.net", wants_replies=True)
    quiet = CommentFactory(post=post, name="Quiet", email="quiet@example.net")
    SubscriptionFactory(post=post, email="quiet@example.net")
    submit(post, "Replying to myself.", parent=mine)
    submit(post, "To the quiet one.", parent=quiet, name="Fern", email="fern@example.com")
    assert mail.outbox == []


def test_at_most_one_email_per_thread_per_address_per_hour(post, submit):
    SubscriptionFactory(post=post, email="cc@example.com")
    first = CommentFactory(post=post, name="C. Clavin", email="cc@example.com", wants_replies=True)
    second = CommentFactory(post=post, name="C. Clavin", email="cc@example.com", wants_replies=True)
    with time_machine.travel(NOW, tick=False):
        submit(post, "One.", parent=first)
    with time_machine.travel(NOW + datetime.timedelta(minutes=59), tick=False):
        submit(post, "Two.", parent=second, name="Fern", email="fern@example.com")
    assert len(mail.outbox) == 1
    with time_machine.travel(NOW + datetime.timedelta(minutes=61), tick=False):
        submit(post, "Three.", parent=first, name="Lidia", email="lidia@example.org")
    assert len(mail.outbox) == 2


def test_the_unsubscribe_link_works_in_one_click_and_from_the_page(client, post, submit):
    SubscriptionFactory(post=post, email="cc@example.com")
    parent = CommentFactory(post=post, email="cc@example.com", wants_replies=True)
    submit(post, "Reply.", parent=parent)
    message = mail.outbox[0]
    url = _link(message, "/comments/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page = client.get(_path(url))
    assert page.status_code == 200
    assert Subscription.objects.get().unsubscribed_at is None, "link checkers open links"
    response = client.post(_path(url), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You're unsubscribed" in response.content.decode()
    assert Subscription.objects.get().unsubscribed_at is not None
    submit(post, "Another reply, two hours on.", parent=parent, name="Fern", email="f@example.org")
    assert len(mail.outbox) == 1


def test_a_tampered_link_is_refused(client, post):
    subscription = SubscriptionFactory(post=post)
    from masthead.discussion.notifications import UNSUBSCRIBE_SALT, subscription_token

    token = subscription_token(subscription, salt=UNSUBSCRIBE_SALT)
    assert client.post(f"/comments/unsubscribe/{token[:-2]}xx/").status_code == 404
    assert client.get(f"/comments/confirm/{token}/").status_code == 404, "wrong salt"


def test_a_confirmation_link_expires_after_a_week(client, post, submit):
    submit(post, "Hi.", wants_replies=True)
    url = _path(_link(mail.outbox[0], "/comments/confirm/"))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        assert client.post(url).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_and_worker_deliver_the_email(post, settings, submit):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    SubscriptionFactory(post=post, email="cc@example.com")
    parent = CommentFactory(post=post, email="cc@example.com", wants_replies=True)
    submit(post, "Queued reply.", parent=parent)
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(task_path__endswith="comment_notify_replies").exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
    assert [m.to for m in mail.outbox] == [["cc@example.com"]]
