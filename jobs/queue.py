"""Enqueue background tasks safely, and retry the ones that fail for a passing reason.

Tasks use Django's Tasks API (the `django-tasks` backport; `django.tasks` from Django 6 on).
Declare a task with `@task()` in the app's `tasks.py`, enqueue it with `enqueue_on_commit`,
and make it idempotent: a retried or re-run task must do no harm. See docs/workflows.md.
"""

from __future__ import annotations

import functools
import logging
import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task_backends
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend

logger = logging.getLogger(__name__)

ATTEMPT_KWARG = "attempt"


def enqueue_on_commit(task: Task, *args: Any, using: str | None = None, **kwargs: Any) -> None:
    """Enqueue `task` so that it exists only if the current transaction commits.

    With the database backend the task row is written inside the transaction: it commits
    or rolls back with the data that caused it, so a process that dies just after the
    commit loses nothing. Any other backend is called from `transaction.on_commit`, so a
    rolled-back request enqueues nothing. Outside a transaction both enqueue at once.
    """
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend) and _same_database(using):
        task.enqueue(*args, **kwargs)
        return
    transaction.on_commit(functools.partial(task.enqueue, *args, **kwargs), using=using)


def _same_database(using: str | None) -> bool:
    from django.db import router
    from django_tasks_db.models import DBTaskResult

    return router.db_for_write(DBTaskResult) == (using or "default")


def backoff_delay(
    attempt: int, *, base: timedelta, maximum: timedelta, jitter: float = 0.1
) -> timedelta:
    """Return the wait before retry number `attempt` (1, 2, ...): base * 2^(attempt-1), capped.

    A little random jitter (±10% by default) spreads out retries that failed together.
    """
    seconds = min(base.total_seconds() * 2 ** (attempt - 1), maximum.total_seconds())
    return timedelta(seconds=seconds * random.uniform(1 - jitter, 1 + jitter))  # noqa: S311


def retry_with_backoff(
    *,
    retry_on: tuple[type[BaseException], ...],
    max_attempts: int = 8,
    base: timedelta = timedelta(seconds=30),
    maximum: timedelta = timedelta(hours=1),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Retry a task later, with exponential backoff, when it raises one of `retry_on`.

    Put it under `@task()`. The task gains an `attempt` keyword argument (1 on the first
    run). On a listed exception before `max_attempts`, the same task is enqueued again with
    `attempt + 1` to run after `backoff_delay(attempt)`, and the exception is re-raised so
    that this attempt shows as failed (with its traceback) in the task list. Backends that
    cannot defer a task (the immediate backend used in tests) do not retry.
    """

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            attempt = kwargs.pop(ATTEMPT_KWARG, 1)
            try:
                return func(*args, **kwargs)
            except retry_on as exc:
                task = import_string(f"{func.__module__}.{func.__qualname__}")
                if attempt >= max_attempts or not task.get_backend().supports_defer:
                    logger.error("Task %s failed on attempt %d; giving up.", task.name, attempt)
                    raise
                delay = backoff_delay(attempt, base=base, maximum=maximum)
                task.using(run_after=timezone.now() + delay).enqueue(
                    *args, **kwargs, **{ATTEMPT_KWARG: attempt + 1}
                )
                logger.warning(
                    "Task %s failed on attempt %d (%s); retrying in %d s.",
                    task.name,
                    attempt,
                    type(exc).__name__,
                    delay.total_seconds(),
                )
                raise

        return run

    return decorate


def task_backend_is_database() -> bool:
    """Return whether the default task backend keeps its queue in the database."""
    return isinstance(task_backends["default"], DatabaseBackend)
