"""Background work of time off: the daily accrual, leavers, and reminders."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from audit.actor import Actor
from employees.models import Employee
from notifications.services import notify
from time_off.accrual import accrue
from time_off.calendar import working_days
from time_off.models import OPEN_STATUSES, Status, TimeOffRequest
from time_off.selectors import DEFAULT_WORK_WEEK
from time_off.services import requests_close_for_leaver

REMINDER_AFTER_WORKING_DAYS = 3


@task()
def accrue_time_off() -> int:
    """Add the accruals due today; return how many ledger entries were added."""
    return accrue(today=timezone.localdate())


@task()
def close_leavers_time_off() -> int:
    """Cancel the requests after the last day of people whose end date has passed."""
    today = timezone.localdate()
    leavers = Employee.objects.filter(
        end_date__lt=today,
        time_off_requests__status__in=OPEN_STATUSES,
        time_off_requests__start_date__gt=F("end_date"),
    ).distinct()
    closed = 0
    for employee in leavers:
        closed += requests_close_for_leaver(employee=employee, actor=Actor.system())
    return closed


def _waited_long_enough(created: dt.date, today: dt.date) -> bool:
    after = working_days(
        created + dt.timedelta(days=1), today, weekdays=DEFAULT_WORK_WEEK, holidays=()
    )
    return len(after) > REMINDER_AFTER_WORKING_DAYS


@task()
def remind_pending_time_off() -> int:
    """Remind approvers of requests pending for more than 3 working days (once each)."""
    today = timezone.localdate()
    pending = TimeOffRequest.objects.filter(
        status=Status.PENDING, created_at__date__lt=today - dt.timedelta(days=3)
    ).values_list("pk", "created_at")
    reminded = 0
    for request_id, created_at in pending:
        if _waited_long_enough(timezone.localdate(created_at), today):
            notify(
                kind="time_off.reminder",
                params={"request_id": request_id},
                key=f"time-off-reminder-{request_id}",
            )
            reminded += 1
    return reminded
