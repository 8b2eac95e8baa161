"""Cap how many refused single sign-on attempts one client IP may have recorded.

Past the limit the attempt is still refused, but answered 429 and not written to the
database, so that a flood of junk posts to the ACS URL cannot fill the refusal records.
Counted with the shared FailureThrottle (alexis.throttle), which keeps counting in process
memory if the shared cache is unreachable.
"""

from __future__ import annotations

from django.conf import settings

from alexis.throttle import FailureThrottle

sso_refusals = FailureThrottle(
    "sso-refusals",
    limit=lambda: settings.SSO_REFUSAL_LIMIT,
    window=lambda: settings.SSO_REFUSAL_WINDOW,
)


def refusal_allowed(ip: str | None) -> bool:
    """Count one refusal for this IP; return False once it is past the limit in this window."""
    if sso_refusals.retry_after(ip):
        return False
    sso_refusals.record_failure(ip)
    return True
