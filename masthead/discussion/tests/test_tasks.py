"""Reply e-mails survive a mail server that is down: the run fails, a later one sends."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from masthead.core.tests.ports import free_port
from masthead.discussion import services
from masthead.discussion.models import Subscription
from masthead.discussion.pipeline import SubmissionContext
from masthead.discussion.tasks import MAIL_RETRY_DELAYS
from masthead.discussion.tests.factories import CommentFactory, SubscriptionFactory
from masthead.publishing.tests.factories import PostFactory

pytestmark = pytest.mark.django_db(transaction=True)
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def closed_port() -> int:
    return free_port()


@pytest.fixture
def mail_server_down(settings, closed_port):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port, "timeout": 2},
        }
    }


def _work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


def _results(name: str):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path__endswith=name).order_by("enqueued_at")


def _reply_to_a_subscriber():
    post = PostFactory(published=True)
    subscription = SubscriptionFactory(post=post, email="cc@example.com")
    parent = CommentFactory(post=post, email="cc@example.com", wants_replies=True)
    services.comment_submit(
        post=post, body="A reply.", name="Argon", email="argon@example.net", parent=parent,
        context=SubmissionContext(post=post),
    )  # fmt: skip
    return subscription


@pytest.mark.usefixtures("mail_server_down")
def test_a_reply_email_is_retried_until_the_mail_server_answers(settings):
    subscription = _reply_to_a_subscriber()
    _work()
    first, retry = _results("comment_notify_replies")
    assert first.status == "FAILED" and "ReplyMailDeferredError" in first.exception_class_path
    assert retry.status == "READY" and retry.args_kwargs["kwargs"]["attempt"] == 1
    assert retry.run_after >= timezone.now() + datetime.timedelta(seconds=30)
    assert Subscription.objects.get(pk=subscription.pk).last_notified_at is None
    assert mail.outbox == []

    settings.MAILERS = LOCMEM
    _work()
    assert mail.outbox == [], "not before its time"
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=MAIL_RETRY_DELAYS[0])):
        _work()
        _work()
    assert [m.to for m in mail.outbox] == [["cc@example.com"]]
    assert _results("comment_notify_replies").last().status == "SUCCESSFUL"
    assert Subscription.objects.get(pk=subscription.pk).last_notified_at is not None


@pytest.mark.usefixtures("mail_server_down")
def test_a_confirmation_email_is_retried_too(settings):
    post = PostFactory(published=True)
    services.comment_submit(
        post=post, body="Sell it.", name="C. Clavin", email="cc@example.com",
        wants_replies=True, context=SubmissionContext(post=post),
    )  # fmt: skip
    _work()
    assert [r.status for r in _results("subscription_send_confirmation")] == ["FAILED", "READY"]
    settings.MAILERS = LOCMEM
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=MAIL_RETRY_DELAYS[0])):
        _work()
    assert [m.to for m in mail.outbox] == [["cc@example.com"]]


@pytest.mark.usefixtures("mail_server_down")
def test_the_retries_stop_after_the_last_delay():
    from masthead.discussion.tasks import comment_notify_replies

    post = PostFactory(published=True)
    SubscriptionFactory(post=post, email="cc@example.com")
    parent = CommentFactory(post=post, email="cc@example.com", wants_replies=True)
    reply = CommentFactory(post=post, parent=parent)
    comment_notify_replies.enqueue(reply.pk, attempt=len(MAIL_RETRY_DELAYS))
    _work()
    assert [r.status for r in _results("comment_notify_replies")] == ["FAILED"]
