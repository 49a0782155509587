"""Background work of the discussion, run by `masthead worker` (or in process by `masthead run`)."""

import datetime

from django.tasks import task
from django.utils import timezone

from masthead.discussion import notifications, services

# Seconds before each new try while the mail server is down: a minute, then up to a day.
MAIL_RETRY_DELAYS = (60, 300, 1800, 7200, 21600, 86400)


@task()
def comment_notify_replies(
    comment_id: int, emails: list[str] | None = None, attempt: int = 0
) -> int:
    try:
        return notifications.replies_notify(comment_id=comment_id, emails=emails)
    except notifications.ReplyMailDeferredError as error:
        _retry_later(comment_notify_replies, attempt, comment_id, emails=error.emails)
        raise


@task()
def subscription_send_confirmation(subscription_id: int, attempt: int = 0) -> bool:
    try:
        return notifications.confirmation_send(subscription_id=subscription_id)
    except OSError:
        _retry_later(subscription_send_confirmation, attempt, subscription_id)
        raise


@task()
def comment_personal_data_purge_task() -> int:
    return services.comment_personal_data_purge()


def _retry_later(this_task, attempt: int, *args, **kwargs) -> None:
    """Queue the same work again after a growing delay; this run still fails, so it shows."""
    if attempt >= len(MAIL_RETRY_DELAYS) or not this_task.get_backend().supports_defer:
        return
    run_after = timezone.now() + datetime.timedelta(seconds=MAIL_RETRY_DELAYS[attempt])
    this_task.using(run_after=run_after).enqueue(*args, attempt=attempt + 1, **kwargs)
