"""Tasks used only by the tests of the task queue (module level, as the queue requires)."""

from datetime import timedelta

from django.core.cache import cache
from django_tasks import task

from jobs.queue import retry_with_backoff


@task()
def remember(key: str, value: str) -> str:
    """Store `value` under `key` in the cache, so a test can see that the task ran."""
    cache.set(key, value, timeout=600)
    return value


@task()
@retry_with_backoff(retry_on=(ConnectionError,), max_attempts=3, base=timedelta(seconds=30))
def call_flaky_service(key: str) -> str:
    """Fail with ConnectionError until the cache says the service is back."""
    if not cache.get(f"{key}:up"):
        raise ConnectionError("service unavailable")
    cache.set(key, "done", timeout=600)
    return "done"


@task()
@retry_with_backoff(retry_on=(ConnectionError,), max_attempts=3)
def fail_for_good(key: str) -> None:
    """Fail with an error that a retry cannot help."""
    raise ValueError(f"bad input {key}")


@task()
def sleep_then_finish(seconds: float) -> float:
    """Take a while, so that a worker can be stopped in the middle of it."""
    import time

    time.sleep(seconds)
    return seconds
