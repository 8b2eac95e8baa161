from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.queue import backoff_delay, enqueue_on_commit
from tests.jobs.tasks import call_flaky_service, fail_for_good, remember

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def test_database_backend_writes_the_task_with_the_transaction(database_tasks):
    with transaction.atomic():
        enqueue_on_commit(remember, "kept", "yes")
    with pytest.raises(Rollback), transaction.atomic():
        enqueue_on_commit(remember, "lost", "no")
        assert DBTaskResult.objects.count() == 2  # inside the transaction it exists...
        raise Rollback

    (row,) = DBTaskResult.objects.all()  # ...and a rollback takes it away
    assert row.task_path == "tests.jobs.tasks.remember"
    assert row.args_kwargs == {"args": ["kept", "yes"], "kwargs": {}}
    assert row.status == TaskResultStatus.READY


def test_other_backends_enqueue_after_commit_and_never_on_rollback(
    django_capture_on_commit_callbacks,
):
    cache.delete_many(["kept", "lost"])
    with pytest.raises(Rollback), transaction.atomic():
        enqueue_on_commit(remember, "lost", "no")
        raise Rollback
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(remember, "kept", "yes")
        assert cache.get("kept") is None  # not before the commit

    assert len(callbacks) == 1
    assert cache.get("kept") == "yes"
    assert cache.get("lost") is None
    assert not DBTaskResult.objects.exists()


def test_worker_runs_a_queued_task(run_queued_tasks):
    cache.delete("worked")
    remember.enqueue("worked", "yes")

    assert run_queued_tasks() == 1

    row = DBTaskResult.objects.get()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == "yes"
    assert cache.get("worked") == "yes"


def test_a_failing_task_is_retried_later_with_backoff(run_queued_tasks):
    key = "flaky-1"
    cache.delete_many([key, f"{key}:up"])
    call_flaky_service.enqueue(key)

    before = timezone.now()
    assert run_queued_tasks() == 1
    assert run_queued_tasks() == 0  # the retry is not due yet

    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert failed.exception_class_path == "builtins.ConnectionError"
    assert "service unavailable" in failed.traceback
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs == {"args": [key], "kwargs": {"attempt": 2}}
    assert (
        before + timedelta(seconds=27) <= retry.run_after <= timezone.now() + timedelta(seconds=33)
    )

    # The service is back by the time the retry is due.
    cache.set(f"{key}:up", True)
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    assert run_queued_tasks() == 1
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL
    assert cache.get(key) == "done"


def test_retries_stop_after_the_last_attempt(run_queued_tasks):
    key = "flaky-2"
    cache.delete_many([key, f"{key}:up"])
    call_flaky_service.enqueue(key)
    for _ in range(3):
        run_queued_tasks()
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())

    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 3
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_errors_a_retry_cannot_help_are_not_retried(run_queued_tasks):
    fail_for_good.enqueue("x")

    run_queued_tasks()

    (row,) = DBTaskResult.objects.all()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.ValueError"


def test_backoff_doubles_up_to_the_maximum():
    base, maximum = timedelta(seconds=30), timedelta(minutes=5)
    delays = [
        backoff_delay(n, base=base, maximum=maximum, jitter=0).total_seconds() for n in range(1, 7)
    ]
    assert delays == [30, 60, 120, 240, 300, 300]
    jittered = backoff_delay(1, base=base, maximum=maximum).total_seconds()
    assert 27 <= jittered <= 33
