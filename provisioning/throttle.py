"""Slow down repeated failed authentication from one client IP.

Counters live in Django's cache (the database cache by default, Redis with REDIS_URL), so
every gunicorn worker and host sees the same numbers. Only failures are counted: a valid
token is never throttled, whatever its request rate.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def _key(ip: str, window: int) -> str:
    return f"provisioning:auth-failures:{ip}:{window}"


def _window() -> tuple[int, int]:
    length = settings.PROVISIONING_AUTH_FAILURE_WINDOW
    now = int(time.time())
    return now // length, length - now % length


def record_failure(ip: str | None) -> None:
    """Count one refused authentication for this IP in the current window."""
    if not ip:
        return
    window, remaining = _window()
    key = _key(ip, window)
    try:
        if not cache.add(key, 1, timeout=remaining + 1):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=remaining + 1)
    # Each cache backend raises its own errors (database, Redis, socket). An unreachable cache
    # must not turn a 401 into a 500: counting is skipped and the refusal stays a 401.
    except Exception:
        logger.warning("Cannot count a failed authentication: the cache is unavailable.")


def retry_after(ip: str | None) -> int | None:
    """Return seconds to wait if this IP has failed too often in this window, else None."""
    if not ip:
        return None
    window, remaining = _window()
    try:
        failures = cache.get(_key(ip, window), 0)
    except Exception:  # see record_failure
        logger.warning("Cannot read failed authentications: the cache is unavailable.")
        return None
    if failures >= settings.PROVISIONING_AUTH_FAILURE_LIMIT:
        return max(remaining, 1)
    return None
