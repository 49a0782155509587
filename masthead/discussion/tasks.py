"""Background work of the discussion, run by `masthead worker` (or in process by `masthead run`)."""

from django.tasks import task

from masthead.discussion import notifications, services


@task()
def comment_notify_replies(comment_id: int) -> int:
    return notifications.replies_notify(comment_id=comment_id)


@task()
def subscription_send_confirmation(subscription_id: int) -> bool:
    return notifications.confirmation_send(subscription_id=subscription_id)


@task()
def comment_personal_data_purge_task() -> int:
    return services.comment_personal_data_purge()
