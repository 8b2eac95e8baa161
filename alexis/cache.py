"""A Redis cache that degrades to process memory while Redis cannot be reached.

Everything Alexis keeps in the cache can be rebuilt or is short-lived: cached filter choices,
rate-limit counters. So an unreachable Redis must not take pages down. While it is
unreachable each call is served by a per-process memory cache (counters then apply per
process, cached values are read afresh), a warning is logged once per outage, and Redis is
tried again after a short pause so that a recovered Redis is used within seconds.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

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
        if time.monotonic() >= self._down_until:
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except UNAVAILABLE as exc:
                self._went_down(exc)
            else:
                if self._down_until:
                    self._came_back()
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

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
