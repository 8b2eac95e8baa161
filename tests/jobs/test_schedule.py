import threading
from datetime import UTC, datetime, time

import pytest
from django.db import connections
from django_tasks_db.models import DBTaskResult

from jobs.models import ScheduledRun
from jobs.schedule import Every, ScheduledJob, daily, scheduled_jobs
from jobs.services import schedule_enqueue_due
from tests.jobs.tasks import remember


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


NIGHTLY = ScheduledJob("test.nightly", remember, Every.DAY, time(3, 0), "Nightly test job")
HOURLY = ScheduledJob("test.hourly", remember, Every.HOUR, time(0, 20), "Hourly test job")


def test_a_daily_job_is_due_at_its_latest_time_of_day(settings):
    settings.TIME_ZONE = "UTC"
    assert NIGHTLY.latest_due(at("2026-03-10 03:00")) == at("2026-03-10 03:00")
    assert NIGHTLY.latest_due(at("2026-03-10 14:00")) == at("2026-03-10 03:00")
    assert NIGHTLY.latest_due(at("2026-03-10 02:59")) == at("2026-03-09 03:00")


def test_daily_times_are_in_the_app_time_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"
    # 03:00 in Paris is 02:00 UTC in winter and 01:00 UTC in summer.
    assert NIGHTLY.latest_due(at("2026-01-15 12:00")) == at("2026-01-15 02:00")
    assert NIGHTLY.latest_due(at("2026-07-15 12:00")) == at("2026-07-15 01:00")


def test_an_hourly_job_is_due_at_its_minute(settings):
    settings.TIME_ZONE = "UTC"
    assert HOURLY.latest_due(at("2026-03-10 14:25")) == at("2026-03-10 14:20")
    assert HOURLY.latest_due(at("2026-03-10 14:19")) == at("2026-03-10 13:20")


def test_the_housekeeping_jobs_are_on_the_schedule():
    names = {job.name for job in scheduled_jobs()}
    assert {
        "provisioning.prune_log",
        "sso.prune_records",
        "jobs.requeue_abandoned_tasks",
        "jobs.prune_finished_tasks",
    } <= names


def test_a_second_job_with_the_same_name_is_refused():
    with pytest.raises(ValueError, match="already registered"):
        daily("provisioning.prune_log", remember, at=time(4, 0), description="Another")


@pytest.mark.django_db
def test_a_job_is_enqueued_once_per_period(database_tasks, settings):
    settings.TIME_ZONE = "UTC"
    runs = [
        schedule_enqueue_due(now=at("2026-03-10 03:05"), jobs=[NIGHTLY]),
        schedule_enqueue_due(now=at("2026-03-10 03:06"), jobs=[NIGHTLY]),
        schedule_enqueue_due(now=at("2026-03-10 23:59"), jobs=[NIGHTLY]),
        schedule_enqueue_due(now=at("2026-03-11 03:00"), jobs=[NIGHTLY]),
    ]

    assert [len(batch) for batch in runs] == [1, 0, 0, 1]
    assert list(ScheduledRun.objects.values_list("due_at", flat=True).order_by("due_at")) == [
        at("2026-03-10 03:00"),
        at("2026-03-11 03:00"),
    ]
    assert DBTaskResult.objects.filter(task_path="tests.jobs.tasks.remember").count() == 2


@pytest.mark.django_db
def test_after_a_long_stop_a_daily_job_runs_once_not_once_per_missed_day(database_tasks):
    schedule_enqueue_due(now=at("2026-03-01 04:00"), jobs=[NIGHTLY])

    caught_up = schedule_enqueue_due(now=at("2026-03-10 04:00"), jobs=[NIGHTLY])

    assert len(caught_up) == 1
    assert ScheduledRun.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_the_same_moment_enqueue_a_daily_job_once(database_tasks):
    """Each scheduler runs in its own thread and database connection, released together."""
    schedulers = 4
    barrier = threading.Barrier(schedulers)
    enqueued: list[int] = []
    errors: list[BaseException] = []

    def scheduler():
        try:
            barrier.wait()
            enqueued.append(len(schedule_enqueue_due(now=at("2026-03-10 05:00"), jobs=[NIGHTLY])))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler) for _ in range(schedulers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(enqueued) == [0] * (schedulers - 1) + [1]
    assert ScheduledRun.objects.get().due_at == at("2026-03-10 03:00")
    assert DBTaskResult.objects.filter(task_path="tests.jobs.tasks.remember").count() == 1
