"""Cap how many refused single sign-on attempts one client IP may have recorded.

Counters live in Django's cache, shared by every worker. Past the limit the attempt is
still refused, but answered 429 and not written to the database, so that a flood of
junk posts to the ACS URL cannot fill the refusal records.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


def _key(ip: str, window: int) -> str:
    return f"sso:refusals:{ip}:{window}"


def _window() -> tuple[int, int]:
    length = settings.SSO_REFUSAL_WINDOW
    now = int(time.time())
    return now // length, length - now % length


def refusal_allowed(ip: str | None) -> bool:
    """Count one refusal for this IP; return False once it is past the limit in this window."""
    if not ip:
        return True
    window, remaining = _window()
    key = _key(ip, window)
    if cache.add(key, 1, timeout=remaining + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=remaining + 1)
            count = 1
    return count <= settings.SSO_REFUSAL_LIMIT
