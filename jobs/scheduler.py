"""The scheduler loop: every so often, enqueue the scheduled jobs that are due."""

from __future__ import annotations

import logging
import threading

from django.db import DatabaseError, close_old_connections, connection

from jobs.services import schedule_enqueue_due

logger = logging.getLogger(__name__)


def run_scheduler(*, interval: float, stop: threading.Event) -> None:
    """Enqueue due jobs every `interval` seconds until `stop` is set.

    A database that is briefly unreachable is logged and tried again at the next tick.
    """
    logger.info("Scheduler started (checks every %g s).", interval)
    try:
        while not stop.is_set():
            close_old_connections()
            try:
                schedule_enqueue_due()
            except DatabaseError:
                logger.exception("Scheduler could not reach the database; trying again.")
            stop.wait(interval)
    finally:
        connection.close()


def start_scheduler_thread(*, interval: float) -> threading.Event:
    """Run the scheduler in a daemon thread of this process; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(
        target=run_scheduler,
        kwargs={"interval": interval, "stop": stop},
        name="alexis-scheduler",
        daemon=True,
    ).start()
    return stop
