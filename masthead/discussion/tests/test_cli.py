"""`masthead worker` runs queued tasks; `masthead run` runs them in process."""

import os
import subprocess
import sys
import time

import pytest
from django.core import mail

from masthead import cli
from masthead.discussion import tasks
from masthead.discussion.tests.factories import CommentFactory, SubscriptionFactory

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_help_lists_the_worker():
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MASTHEAD_")}
    clean["MASTHEAD_VAR_DIR"] = os.environ.get("MASTHEAD_VAR_DIR", "var")
    result = subprocess.run(
        [sys.executable, "-m", "masthead.cli", "help"],
        env=clean, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert "masthead worker" in result.stdout


def _queued_reply(settings):
    settings.TASKS = DB_TASKS
    subscription = SubscriptionFactory(email="cc@example.com")
    parent = CommentFactory(post=subscription.post, email="cc@example.com", wants_replies=True)
    reply = CommentFactory(post=subscription.post, parent=parent)
    tasks.comment_notify_replies.enqueue(reply.pk)
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_verb_runs_what_is_queued(settings):
    _queued_reply(settings)
    cli.main(["masthead", "worker", "--batch", "--no-startup-delay", "--verbosity", "0"])
    assert [m.to for m in mail.outbox] == [["cc@example.com"]]


@pytest.mark.django_db(transaction=True)
def test_the_embedded_site_runs_tasks_in_a_thread(settings):
    _queued_reply(settings)
    worker = cli.tasks_in_process(interval=0.05)
    try:
        deadline = time.monotonic() + 10
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.running = False
        worker.thread.join(timeout=10)
    assert [m.to for m in mail.outbox] == [["cc@example.com"]]
