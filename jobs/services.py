"""Writes on the task queue that the worker and the schedule make."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def task_requeue_abandoned(*, older_than: timedelta) -> int:
    """Put tasks back in the queue that a worker claimed and never finished.

    A worker that is killed (SIGKILL, a lost machine) leaves its task RUNNING for ever.
    Tasks are idempotent, so running such a task again after `older_than` is safe; the
    task keeps the ids of the workers that tried it.
    """
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        requeued = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        ).update(status=TaskResultStatus.READY, started_at=None)
    if requeued:
        logger.warning("Requeued %d task(s) abandoned by a stopped worker.", requeued)
    return requeued
