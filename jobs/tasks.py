"""Housekeeping of the task queue itself."""

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from jobs.services import task_prune_finished, task_requeue_abandoned


@task()
def requeue_abandoned_tasks() -> int:
    """Put tasks left running by a killed worker back in the queue."""
    return task_requeue_abandoned(
        older_than=timedelta(seconds=settings.ALEXIS_TASK_ABANDONED_AFTER_SECONDS)
    )


@task()
def prune_finished_tasks() -> int:
    """Delete finished tasks older than ALEXIS_TASK_RETENTION_DAYS."""
    return task_prune_finished(older_than=timedelta(days=settings.ALEXIS_TASK_RETENTION_DAYS))
