"""Run a background worker: tasks from the database queue (django-tasks-db's worker)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from jobs.services import task_requeue_abandoned


class Command(DatabaseWorkerCommand):
    help = (
        "Run a background worker on the database task queue. Start as many as you like, "
        "on as many machines: each task runs on one of them."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # The reloader runs the worker in a child process that outlives a stopped parent;
        # `make run` restarts both processes instead.
        parser.set_defaults(reload=False, queue_name="*")

    def handle(self, *args, **options):
        self.configure_logging(options["verbosity"])
        task_requeue_abandoned(
            older_than=timedelta(seconds=settings.ALEXIS_TASK_ABANDONED_AFTER_SECONDS)
        )
        super().handle(*args, **options)
