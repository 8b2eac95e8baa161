"""Reads of self-service rules and change requests."""

from __future__ import annotations

from django.db.models import QuerySet

from employees.models import Employee
from self_service.fields import RULE_FIELDS
from self_service.models import ChangeRequest, ChangeRequestStatus, FieldRule


def field_rules() -> dict[str, bool]:
    """Return {field name: needs HR approval} for every personal detail, in one query."""
    stored = dict(FieldRule.objects.values_list("field", "needs_approval"))
    return {
        field.name: stored.get(field.name, field.needs_approval_by_default) for field in RULE_FIELDS
    }


def change_requests_pending() -> QuerySet[ChangeRequest]:
    """Return the changes waiting for HR, oldest first, with their employee."""
    return (
        ChangeRequest.objects.filter(status=ChangeRequestStatus.PENDING)
        .select_related("employee", "requested_by")
        .order_by("requested_at", "id")
    )


def change_requests_pending_for(employee: Employee) -> dict[str, ChangeRequest]:
    """Return the employee's changes waiting for HR, by field."""
    pending = ChangeRequest.objects.filter(employee=employee, status=ChangeRequestStatus.PENDING)
    return {request.field: request for request in pending}


def change_requests_recently_decided(limit: int = 20) -> QuerySet[ChangeRequest]:
    """Return the latest approved or rejected changes, newest first."""
    return (
        ChangeRequest.objects.exclude(status=ChangeRequestStatus.PENDING)
        .select_related("employee", "decided_by")
        .order_by("-decided_at", "-id")[:limit]
    )


def change_requests_pending_count() -> int:
    """Return how many changes wait for HR (read from the pending-only index)."""
    return ChangeRequest.objects.filter(status=ChangeRequestStatus.PENDING).count()


def change_requests_decided_for(employee: Employee, limit: int = 5) -> QuerySet[ChangeRequest]:
    """Return HR's latest decisions on the employee's changes, newest first."""
    return (
        ChangeRequest.objects.filter(employee=employee)
        .exclude(status=ChangeRequestStatus.PENDING)
        .order_by("-decided_at", "-id")[:limit]
    )
