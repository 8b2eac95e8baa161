"""The web app's shared template filters: one way to show a date, a time and a face.

    {% load ui %}
    {{ employee.start_date|day }}   2 Dec 2026
    {{ change.changed_at|when }}    2 Dec 2026, 04:20
    {{ event.occurred_at|ago }}     5 minutes ago (the exact time in a tooltip)

Each renders a <time> element with the machine-readable value.

Date-times are shown in the signed-in user's time zone (ui.middleware.UserTimeZoneMiddleware).
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html

from ui import formats

register = template.Library()


@register.filter(is_safe=True)
def day(value: dt.date | dt.datetime | None) -> str:
    """Render a date as <time>: 2 Dec 2026."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), formats.date(value))


@register.filter(is_safe=True)
def when(value: dt.datetime | None) -> str:
    """Render a date and time as <time>: 2 Dec 2026, 04:20 (in the user's time zone)."""
    if not value:
        return ""
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        value.isoformat(),
        formats.datetime_with_zone(value),
        formats.datetime(value),
    )


@register.filter(is_safe=True)
def ago(value: dt.datetime | None) -> str:
    """Render a recent moment as <time>: just now, 5 minutes ago, yesterday at 16:02."""
    if not value:
        return ""
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        value.isoformat(),
        formats.datetime_with_zone(value),
        formats.relative(value),
    )
