"""Run the scheduler alone (for task backends other than the database), or list the schedule."""

from __future__ import annotations

import contextlib
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from jobs.models import ScheduledRun
from jobs.schedule import scheduled_jobs
from jobs.scheduler import run_scheduler
from jobs.services import schedule_enqueue_due


class Command(BaseCommand):
    help = (
        "Enqueue scheduled jobs when they are due. run_worker already does this; use this "
        "command with another task backend, --once from cron, or --list to see the schedule."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue what is due, then exit.")
        parser.add_argument("--list", action="store_true", help="List the jobs and their last run.")

    def handle(self, *args, **options):
        if options["list"]:
            for job in scheduled_jobs():
                last = ScheduledRun.objects.filter(job_name=job.name).first()
                when = f"last due {last.due_at:%Y-%m-%d %H:%M %Z}" if last else "never run"
                self.stdout.write(f"{job.name}: {job} - {when}")
            return
        if options["once"]:
            runs = schedule_enqueue_due()
            self.stdout.write(f"Enqueued {len(runs)} scheduled job(s).")
            return
        with contextlib.suppress(KeyboardInterrupt):
            run_scheduler(
                interval=settings.ALEXIS_SCHEDULER_INTERVAL_SECONDS, stop=threading.Event()
            )
