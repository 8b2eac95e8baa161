import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.services import task_prune_finished, task_requeue_abandoned
from tests.jobs.tasks import remember

pytestmark = pytest.mark.django_db


def test_tasks_abandoned_by_a_killed_worker_go_back_in_the_queue(database_tasks):
    stuck = remember.enqueue("a", "b")
    fresh = remember.enqueue("c", "d")
    DBTaskResult.objects.filter(pk=stuck.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(hours=2)
    )
    DBTaskResult.objects.filter(pk=fresh.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=5)
    )

    assert task_requeue_abandoned(older_than=timedelta(hours=1)) == 1

    assert DBTaskResult.objects.get(pk=stuck.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=fresh.id).status == TaskResultStatus.RUNNING


def test_finished_tasks_past_the_retention_are_deleted(run_queued_tasks):
    old, recent = remember.enqueue("a", "b"), remember.enqueue("c", "d")
    waiting = remember.using(run_after=timezone.now() + timedelta(days=1)).enqueue("e", "f")
    run_queued_tasks()
    DBTaskResult.objects.filter(pk=old.id).update(finished_at=timezone.now() - timedelta(days=31))

    assert task_prune_finished(older_than=timedelta(days=30)) == 1

    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        uuid.UUID(recent.id),
        uuid.UUID(waiting.id),
    }
