"""Writes on the task queue that the worker and the scheduler make."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.models import ScheduledRun
from jobs.queue import enqueue_on_commit
from jobs.schedule import ScheduledJob, scheduled_jobs

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


def task_prune_finished(*, older_than: timedelta) -> int:
    """Delete finished tasks and scheduled runs older than `older_than`; return how many tasks."""
    cutoff = timezone.now() - older_than
    finished = [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    deleted, _ = DBTaskResult.objects.filter(status__in=finished, finished_at__lt=cutoff).delete()
    ScheduledRun.objects.filter(due_at__lt=cutoff).delete()
    return deleted


def schedule_enqueue_due(
    *, now: datetime | None = None, jobs: list[ScheduledJob] | None = None
) -> list[ScheduledRun]:
    """Enqueue each scheduled job whose latest due time has not been enqueued yet.

    Any number of schedulers may call this at the same moment: each run is a row with a
    unique (job, due time), inserted in the same transaction as the task, so exactly one
    scheduler enqueues it and the others get an IntegrityError and move on. Only the
    latest due time counts: after a long stop a daily job runs once, not once per day missed.
    """
    now = now or timezone.now()
    enqueued = []
    for job in scheduled_jobs() if jobs is None else jobs:
        due_at = job.latest_due(now)
        if ScheduledRun.objects.filter(job_name=job.name, due_at=due_at).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job_name=job.name, due_at=due_at)
                enqueue_on_commit(job.task)
        except IntegrityError:
            continue  # another scheduler got there first
        logger.info("Enqueued scheduled job %s (due %s).", job.name, due_at.isoformat())
        enqueued.append(run)
    return enqueued
