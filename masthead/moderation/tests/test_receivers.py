import datetime

import pytest

from masthead.discussion import services as discussion
from masthead.discussion.models import CommentStatus
from masthead.discussion.tests.factories import CommentFactory
from masthead.moderation import services
from masthead.moderation.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def test_a_reader_deleting_their_comment_is_audited_once_committed(
    django_capture_on_commit_callbacks,
):
    comment = CommentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        discussion.comment_delete(comment=comment, authored_ids=[comment.pk])
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.actor_name) == (AuditAction.ELSEWHERE, None, "site")
    assert (entry.status_before, entry.status_after) == (
        CommentStatus.APPROVED,
        CommentStatus.REMOVED,
    )
    assert entry.reason == "deleted by its author"


def test_moderators_decisions_are_not_audited_twice(moderator, django_capture_on_commit_callbacks):
    comment = CommentFactory(pending=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_moderate(comment_id=comment.pk, action="approve", actor=moderator)
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [AuditAction.APPROVE]


def test_pipeline_decisions_are_not_audited_twice(submit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit()
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [AuditAction.PIPELINE]


def test_imported_comments_get_no_entry(post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        discussion.comment_import(
            post=post,
            import_ref="wp:1",
            name="Argon",
            body="Imported.",
            created_at=post.published_at + datetime.timedelta(minutes=5),
        )
    assert not AuditEntry.objects.exists()
