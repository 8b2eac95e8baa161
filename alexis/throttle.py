"""Count failed credential checks per key (a client IP, an account) in fixed windows.

A small reusable piece: each kind of credential declares one FailureThrottle with its own
name and settings, and its check calls `retry_after` before answering a failure and
`record_failure` after. Only failures are counted, so a valid credential is never slowed.

Counters live in Django's default cache (Redis, or the database cache), shared by every
worker and host. When that cache cannot be reached the counters fall back to this process's
memory with a logged warning: the limit then applies per process instead of switching off.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

from alexis.cache import stored_window_count

logger = logging.getLogger(__name__)

# Used only while the shared cache is unreachable.
_local = LocMemCache("alexis-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 10000}})


class FailureThrottle:
    """Refuse a key for the rest of the window once it has `limit()` failures in it."""

    def __init__(self, name: str, *, limit: Callable[[], int], window: Callable[[], int]):
        self.name = name
        self.limit = limit
        self.window = window

    def _slot(self, key: str) -> tuple[str, int]:
        length = max(1, self.window())
        now = int(time.time())
        return f"throttle:{self.name}:{key}:{now // length}", length - now % length

    def record_failure(self, key: str | None) -> None:
        """Count one failure for this key in the current window."""
        if not key:
            return
        slot, remaining = self._slot(key)
        try:
            _increment(cache, slot, remaining)
        # Each cache backend raises its own errors (database, Redis, socket).
        except Exception:
            logger.warning(
                "Counting failed %s in this process only: the shared cache is unavailable.",
                self.name,
            )
            _increment(_local, slot, remaining)

    def retry_after(self, key: str | None) -> int | None:
        """Return seconds to wait if this key has failed too often in this window, else None."""
        if not key:
            return None
        slot, remaining = self._slot(key)
        try:
            failures = cache.get(slot, 0)
        except Exception:  # see record_failure
            logger.warning(
                "Reading failed %s from this process only: the shared cache is unavailable.",
                self.name,
            )
            failures = 0
        # Failures counted here while the shared cache was down still count.
        failures = max(failures, _local.get(slot, 0))
        if failures >= self.limit():
            return max(remaining, 1)
        return None


def window_count(key: str, seconds: int) -> tuple[int, int]:
    """Count one request for `key`; return (its requests in this window, seconds left in it).

    A window starts with the key's first request and lasts `seconds`. The count is kept in
    the shared cache: on Redis one round trip (an atomic counter that expires with the
    window), on the database cache a read and a write.
    """
    counter = getattr(cache, "window_count", None)
    if counter is not None:
        return counter(key, seconds)
    return stored_window_count(cache, key, seconds)


def _increment(store, slot: str, remaining: int) -> None:
    if not store.add(slot, 1, timeout=remaining + 1):
        try:
            store.incr(slot)
        except ValueError:  # expired between add and incr
            store.set(slot, 1, timeout=remaining + 1)
