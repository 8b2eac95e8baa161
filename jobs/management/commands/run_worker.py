"""Run a background worker: tasks from the database queue, and the schedule beside them."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from jobs.scheduler import start_scheduler_thread
from jobs.services import task_requeue_abandoned


class Command(DatabaseWorkerCommand):
    help = (
        "Run a background worker on the database task queue, with the scheduler in a thread. "
        "Start as many as you like, on as many machines: each task and each scheduled run "
        "happens once."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # The reloader runs the worker in a child process that outlives a stopped parent;
        # `make run` restarts both processes instead.
        parser.set_defaults(reload=False, queue_name="*")
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="scheduler",
            help="Work the queue only; do not enqueue scheduled jobs from this process.",
        )

    def handle(self, *args, **options):
        self.configure_logging(options["verbosity"])
        task_requeue_abandoned(
            older_than=timedelta(seconds=settings.ALEXIS_TASK_ABANDONED_AFTER_SECONDS)
        )
        if options.pop("scheduler") and not options["batch"]:
            start_scheduler_thread(interval=settings.ALEXIS_SCHEDULER_INTERVAL_SECONDS)
        super().handle(*args, **options)
