"""A person's time off as an iCalendar feed (RFC 5545), built with the icalendar package."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from employees.models import Employee
from time_off.models import Status, TimeOffRequest


def feed_calendar(*, employee: Employee, requests: Iterable[TimeOffRequest]) -> bytes:
    """All-day events for the person's pending and approved time off."""
    calendar = Calendar()
    calendar.add("prodid", "-//Alexis//Time off//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Time off: {employee}")
    stamp = timezone.now()
    for request in requests:
        event = Event()
        event.add("uid", f"{request.public_id}@alexis")
        event.add("dtstamp", stamp)
        event.add("dtstart", request.start_date)
        event.add("dtend", request.end_date + dt.timedelta(days=1))
        pending = " (pending)" if request.status == Status.PENDING else ""
        event.add("summary", f"{request.leave_type.name}{pending}")
        event.add("transp", "OPAQUE")
        event.add("status", "TENTATIVE" if pending else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
