"""The failed-authentication counters are shared between processes through Redis."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings

from access_tokens.throttle import token_failures

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("ALEXIS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

# These tests clear the Redis database they share: make test's parallel processes run them
# one after another in the same process.
pytestmark = pytest.mark.xdist_group("redis")


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


@pytest.mark.skipif(not _redis_available(), reason=f"No Redis at {REDIS_URL}")
def test_failures_counted_in_another_process_throttle_this_one():
    prefix = f"alexis-test-{uuid.uuid4().hex}"
    cache_settings = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "REDIS_URL": REDIS_URL,
        "DJANGO_CACHE_KEY_PREFIX": prefix,
        "ACCESS_TOKEN_FAILURE_LIMIT": "3",
    }
    script = (
        "import django; django.setup()\n"
        "from access_tokens.throttle import token_failures\n"
        "for _ in range(3): token_failures.record_failure('203.0.113.7')\n"
    )
    with override_settings(CACHES=cache_settings, ACCESS_TOKEN_FAILURE_LIMIT=3):
        assert token_failures.retry_after("203.0.113.7") is None
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "alexis.settings"},
            check=True,
            timeout=60,
        )
        assert token_failures.retry_after("203.0.113.7") is not None
        caches["default"].clear()


@pytest.mark.skipif(not _redis_available(), reason=f"No Redis at {REDIS_URL}")
def test_a_window_count_on_redis_is_one_counter_that_expires_with_its_window():
    from alexis.cache import redis_cache_settings
    from alexis.throttle import window_count

    prefix = f"alexis-test-{uuid.uuid4().hex}"
    with override_settings(CACHES={"default": redis_cache_settings(REDIS_URL, key_prefix=prefix)}):
        counts = [window_count("token-a", 60) for _ in range(3)]
        other = window_count("token-b", 60)
        short = [window_count("token-c", 1)]
        time.sleep(2.1)
        short.append(window_count("token-c", 1))
        stored = caches["default"].get("token-a")
        caches["default"].clear()

    assert [count for count, _ in counts] == [1, 2, 3]
    assert all(58 <= left <= 60 for _, left in counts)
    assert other[0] == 1
    assert [count for count, _ in short] == [1, 1]  # the second came after the window
    assert stored == 3
