"""One date and time format for every page, the CSV export and the admin.

Dates read "2 Dec 2026", date-times "2 Dec 2026, 04:20" (24-hour clock) in the user's time
zone; recent moments read "just now", "5 minutes ago", "3 hours ago", "yesterday at 16:02".
The Django admin uses the same formats through FORMAT_MODULE_PATH (alexis/formats/).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dateformat import format as date_format

DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = f"{DATE_FORMAT}, {TIME_FORMAT}"


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def date(value: dt.date) -> str:
    """Return 2 Dec 2026."""
    return date_format(value, DATE_FORMAT)


def datetime(value: dt.datetime) -> str:
    """Return 2 Dec 2026, 04:20 in the current time zone."""
    return date_format(_local(value), DATETIME_FORMAT)


def datetime_with_zone(value: dt.datetime) -> str:
    """Return 2 Dec 2026, 04:20 UTC: the exact moment, for a tooltip."""
    local = _local(value)
    return f"{date_format(local, DATETIME_FORMAT)} {local.tzname() or ''}".strip()


def relative(value: dt.datetime, *, now: dt.datetime | None = None) -> str:
    """Return how long ago (or how far ahead) a moment is, in words a person would use."""
    now = now or timezone.now()
    seconds = (now - value).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 45:
        return "just now"
    minutes = round(seconds / 60)
    if minutes < 60:
        amount = f"{minutes} minute{'s' if minutes != 1 else ''}"
    elif seconds < 24 * 3600:
        hours = round(seconds / 3600)
        amount = f"{hours} hour{'s' if hours != 1 else ''}"
    else:
        local, today = _local(value), _local(now).date()
        if local.date() == today - dt.timedelta(days=1):
            return f"yesterday at {date_format(local, TIME_FORMAT)}"
        if local.date() == today + dt.timedelta(days=1):
            return f"tomorrow at {date_format(local, TIME_FORMAT)}"
        return datetime(value)
    return f"in {amount}" if future else f"{amount} ago"
