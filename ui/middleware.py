"""Show date-times in the user's own time zone."""

from __future__ import annotations

import zoneinfo

from django.utils import timezone

# Set by static/js/alexis.js from the browser (Intl.DateTimeFormat().resolvedOptions()).
TIME_ZONE_COOKIE = "alexis_tz"


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    if not name or len(name) > 64:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class UserTimeZoneMiddleware:
    """Activate the browser's time zone for the request; the server's TIME_ZONE otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = _zone(request.COOKIES.get(TIME_ZONE_COOKIE, ""))
        if zone is None:
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
