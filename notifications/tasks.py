"""Background delivery of notifications: recorded in the app, then emailed with retries."""

from datetime import timedelta

from django.db import transaction
from django_tasks import task

from jobs.queue import enqueue_on_commit, retry_with_backoff
from notifications.services import notification_email_send, notification_record


@task()
def deliver_notification(kind: str, params: dict, key: str) -> int:
    """Record a notification for each recipient and queue the emails; return how many."""
    with transaction.atomic():
        to_email = notification_record(kind=kind, params=params, key=key)
        for notification in to_email:
            enqueue_on_commit(send_notification_email, notification.pk)
    return len(to_email)


# About eight hours of retries (1, 2, 4, ... minutes, then hourly) before the task is left
# failed in the task list, where an owner can run it again.
@task()
@retry_with_backoff(
    retry_on=(OSError,),  # smtplib.SMTPException and connection errors
    max_attempts=12,
    base=timedelta(minutes=1),
    maximum=timedelta(hours=1),
)
def send_notification_email(notification_id: int) -> bool:
    """Email one notification (once, however often this runs)."""
    return notification_email_send(notification_id=notification_id)
