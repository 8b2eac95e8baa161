"""A Redis cache that degrades to process memory while Redis cannot be reached.

Everything Alexis keeps in the cache can be rebuilt or is short-lived: cached filter choices,
rate-limit counters. So an unreachable Redis must not take pages down. While it is
unreachable each call is served by a per-process memory cache (counters then apply per
process, cached values are read afresh), a warning is logged once per outage, and Redis is
tried again after a short pause so that a recovered Redis is used within seconds.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)


def stored_window_count(store, key: str, seconds: int) -> tuple[int, int]:
    """Count one for `key` in a cache without atomic counters: a read and a write."""
    now = time.time()
    started, count = store.get(key) or (now, 0)
    if now - started >= seconds:
        started, count = now, 0
    left = max(1, math.ceil(started + seconds - now))
    store.set(key, (started, count + 1), timeout=left)
    return count + 1, left


UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# After a failure, how long to answer from memory before trying Redis again.
RETRY_SECONDS = 5.0


class FailoverRedisCache(RedisCache):
    """Django's RedisCache; calls fall back to a local memory cache while Redis is down."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        name = f"alexis-failover-{uuid.uuid4()}"
        self._fallback = LocMemCache(name, {"TIMEOUT": self.default_timeout})
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return self._either(getattr(super(), name), getattr(self._fallback, name), *args, **kwargs)

    def _either(self, on_redis: Callable, on_fallback: Callable, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= self._down_until:
            try:
                result = on_redis(*args, **kwargs)
            except UNAVAILABLE as exc:
                self._went_down(exc)
            else:
                if self._down_until:
                    self._came_back()
                return result
        return on_fallback(*args, **kwargs)

    def window_count(self, key: str, seconds: int) -> tuple[int, int]:
        """Count one for `key` in its window (see alexis.throttle.window_count): one round trip."""
        return self._either(
            self._redis_window_count,
            lambda *args: stored_window_count(self._fallback, *args),
            key,
            seconds,
        )

    def _redis_window_count(self, key: str, seconds: int) -> tuple[int, int]:
        key = self.make_and_validate_key(key)
        pipe = self._cache.get_client(key, write=True).pipeline(transaction=True)
        # The first count creates the key with the window's expiry; later ones keep it.
        pipe.set(key, 0, ex=seconds, nx=True)
        pipe.incr(key)
        pipe.ttl(key)
        _, count, left = pipe.execute()
        return count, left if left > 0 else seconds

    def _went_down(self, exc: BaseException) -> None:
        with self._lock:
            first = self._down_until == 0.0
            self._down_until = time.monotonic() + RETRY_SECONDS
        if first:
            logger.warning(
                "Redis is unavailable (%s): caching and rate-limit counters use this "
                "process's memory until it is back.",
                exc,
            )

    def _came_back(self) -> None:
        with self._lock:
            self._down_until = 0.0
        logger.warning("Redis is available again.")

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self, *args, **kwargs):
        return self._call("clear", *args, **kwargs)


def redis_cache_settings(url: str, *, key_prefix: str = "alexis") -> dict[str, Any]:
    """Return the CACHES entry for a Redis URL: fail over to memory, never wait long for it."""
    return {
        "BACKEND": "alexis.cache.FailoverRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        # A Redis that does not answer costs a request at most this long, then RETRY_SECONDS
        # of memory-only caching.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
