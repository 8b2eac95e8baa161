"""Slow down repeated failed access-token authentication from one client IP.

One counter for every place a bearer token is checked (SCIM and the public API), so that an
address guessing tokens is slowed whichever endpoint it tries. A valid token is never
throttled: the token is checked before the counter.
"""

from __future__ import annotations

from django.conf import settings

from alexis.throttle import FailureThrottle

token_failures = FailureThrottle(
    "access-token-failures",
    limit=lambda: settings.ACCESS_TOKEN_FAILURE_LIMIT,
    window=lambda: settings.ACCESS_TOKEN_FAILURE_WINDOW,
)
