"""The schedule: jobs that run every hour or every day, declared by the app that owns them.

An app declares its jobs in a `schedules.py` module (found at start-up, like `admin.py`):

    from jobs.schedule import daily
    from provisioning.tasks import prune_provisioning_log

    daily("provisioning.prune_log", prune_provisioning_log, at=time(3, 0),
          description="Delete provisioning log events past the retention period")

A job is a task with no arguments; the scheduler enqueues it once per period (see
`jobs.services.schedule_enqueue_due`), however many schedulers run.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django_tasks.base import Task


class Every(enum.Enum):
    HOUR = "hour"
    DAY = "day"


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    task: Task
    every: Every
    at: time
    description: str

    def latest_due(self, now: datetime) -> datetime:
        """Return the latest time at or before `now` at which this job was due to run.

        Daily times are wall-clock times in the app's time zone (DJANGO_TIME_ZONE); hourly
        jobs use only the minute.
        """
        local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
        if self.every is Every.HOUR:
            due = local.replace(minute=self.at.minute, second=0, microsecond=0)
            if due > local:
                due -= timedelta(hours=1)
            return due
        due = datetime.combine(local.date(), self.at, tzinfo=local.tzinfo)
        if due > local:
            due = datetime.combine(local.date() - timedelta(days=1), self.at, tzinfo=local.tzinfo)
        return due

    def __str__(self) -> str:
        when = f"at :{self.at.minute:02d}" if self.every is Every.HOUR else f"at {self.at:%H:%M}"
        return f"{self.description} (every {self.every.value} {when})"


_jobs: dict[str, ScheduledJob] = {}


def register(job: ScheduledJob) -> ScheduledJob:
    """Add a job to the schedule; its name must be new."""
    existing = _jobs.get(job.name)
    if existing is not None and existing != job:
        raise ValueError(f"A scheduled job named {job.name!r} is already registered.")
    _jobs[job.name] = job
    return job


def daily(name: str, task: Task, *, at: time, description: str) -> ScheduledJob:
    """Run `task` once a day at `at` (the app's time zone)."""
    return register(ScheduledJob(name, task, Every.DAY, at, description))


def hourly(name: str, task: Task, *, minute: int = 0, description: str) -> ScheduledJob:
    """Run `task` once an hour at `minute` past the hour."""
    return register(ScheduledJob(name, task, Every.HOUR, time(0, minute), description))


def scheduled_jobs() -> list[ScheduledJob]:
    """Return every registered job, by name."""
    return [_jobs[name] for name in sorted(_jobs)]
