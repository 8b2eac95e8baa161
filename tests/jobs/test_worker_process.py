"""Real `run_worker` processes against the test database (SQLite file or PostgreSQL)."""

import signal
import time

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.models import ScheduledRun
from jobs.schedule import Every, scheduled_jobs
from tests.jobs.processes import Worker, wait_for
from tests.jobs.tasks import remember, sleep_then_finish

pytestmark = pytest.mark.django_db(transaction=True)


class Workers:
    """The worker processes a test starts; all are killed when it ends."""

    def __init__(self, folder):
        self.folder = folder
        self.running: list[Worker] = []

    def __call__(self, *args: str, **env: str) -> Worker:
        worker = Worker(self.folder / f"worker-{len(self.running)}.log", *args, **env)
        self.running.append(worker)
        return worker

    def wait_for(self, condition, *, what: str, timeout: float = 60) -> None:
        live = [worker for worker in self.running if worker.process.poll() is None]
        wait_for(condition, workers=live, what=what, timeout=timeout)


@pytest.fixture
def workers(tmp_path):
    started = Workers(tmp_path)
    yield started
    for worker in started.running:
        worker.stop(signal.SIGKILL)


def statuses() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("status", flat=True))


def test_a_worker_process_runs_queued_tasks(database_tasks, workers):
    results = [remember.enqueue(f"key-{n}", f"value-{n}") for n in range(3)]

    worker = workers("--no-scheduler")
    workers.wait_for(
        lambda: statuses() == [TaskResultStatus.SUCCESSFUL] * 3,
        what="three successful tasks",
    )

    assert worker.stop() == 0
    for n, result in enumerate(results):
        result.refresh()
        assert result.return_value == f"value-{n}"
    assert "Received Terminated - shutting down gracefully" in worker.output()


def test_two_workers_started_together_run_each_daily_job_once(database_tasks, workers):
    pair = [workers(ALEXIS_SCHEDULER_INTERVAL_SECONDS="1") for _ in range(2)]
    jobs = scheduled_jobs()
    paths = {job.task.module_path for job in jobs}

    workers.wait_for(
        lambda: (
            DBTaskResult.objects.filter(
                task_path__in=paths, status=TaskResultStatus.SUCCESSFUL
            ).count()
            >= len(jobs)
        ),
        what="every scheduled job to run",
    )
    time.sleep(2)  # both schedulers look again, many times over

    for worker in pair:
        assert worker.stop() == 0
    for job in jobs:
        runs = ScheduledRun.objects.filter(job_name=job.name).count()
        tasks = DBTaskResult.objects.filter(task_path=job.task.module_path)
        assert tasks.count() == runs, job.name
        assert set(tasks.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
        if job.every is Every.DAY:
            assert runs == 1, job.name


def test_a_killed_worker_loses_no_task_once_a_worker_starts_again(database_tasks, workers):
    for _ in range(3):
        sleep_then_finish.enqueue(1.0)

    first = workers("--no-scheduler", ALEXIS_TASK_ABANDONED_AFTER_SECONDS="1")
    workers.wait_for(
        lambda: TaskResultStatus.RUNNING in statuses(),
        what="the worker to start a task",
    )
    assert first.stop(signal.SIGKILL) == -signal.SIGKILL
    assert statuses() == [TaskResultStatus.READY] * 2 + [TaskResultStatus.RUNNING]

    time.sleep(1.2)  # the killed worker's task is now older than the abandonment limit
    workers("--no-scheduler", ALEXIS_TASK_ABANDONED_AFTER_SECONDS="1")
    workers.wait_for(
        lambda: statuses() == [TaskResultStatus.SUCCESSFUL] * 3,
        timeout=60,
        what="every task to finish after the restart",
    )
    tried_twice = [r for r in DBTaskResult.objects.all() if len(r.worker_ids) == 2]
    assert len(tried_twice) == 1  # the task the killed worker had claimed, run again


def test_a_stopped_worker_finishes_its_task_and_leaves_the_rest_queued(database_tasks, workers):
    for _ in range(3):
        sleep_then_finish.enqueue(1.0)

    worker = workers("--no-scheduler")
    workers.wait_for(
        lambda: TaskResultStatus.RUNNING in statuses(), what="the worker to start a task"
    )

    assert worker.stop(signal.SIGTERM) == 0
    assert statuses() == [TaskResultStatus.READY] * 2 + [TaskResultStatus.SUCCESSFUL]

    workers("--no-scheduler")
    workers.wait_for(
        lambda: statuses() == [TaskResultStatus.SUCCESSFUL] * 3, what="the rest to finish"
    )
