"""Kinds of notification about time off."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from accounts.roles import HR_ADMIN, OWNER
from notifications.kinds import NotificationKind, register
from time_off.models import Status, TimeOffRequest


def _request(params: dict[str, Any]) -> TimeOffRequest | None:
    return (
        TimeOffRequest.objects.select_related("employee", "leave_type", "approver")
        .filter(pk=params["request_id"])
        .first()
    )


def _approvers(request: TimeOffRequest):
    User = get_user_model()
    if request.approver_id is not None:
        return User.objects.filter(employee__pk=request.approver_id, is_active=True)
    hr = Q(groups__name__in=[HR_ADMIN, OWNER]) | Q(is_superuser=True)
    return User.objects.filter(hr, is_active=True).exclude(pk=request.employee.user_id).distinct()


def _may_approve(user) -> bool:
    """Managers and HR approve; anyone with an employee record may become a manager (Entra
    sends one at any time), so each can choose ahead. No query: this runs on every page."""
    from accounts.roles import is_hr_admin

    return getattr(user, "employee", None) is not None or is_hr_admin(user)


@register
class TimeOffSubmitted(NotificationKind):
    key = "time_off.submitted"
    label = "Someone asks for time off"
    description = "A request for time off waits for your approval (as manager or HR)."
    template = "time_off/notifications/submitted.txt"

    def is_for(self, user) -> bool:
        return _may_approve(user)

    def recipients(self, params):
        request = _request(params)
        return _approvers(request) if request is not None else []

    def context(self, params):
        request = _request(params)
        if request is None or request.status != Status.PENDING:
            return None
        return {"request": request}

    def subject(self, context) -> str:
        request = context["request"]
        return f"{request.employee} asks for {request.leave_type.name.lower()}"

    def url(self, context) -> str:
        return reverse("time_off:request", kwargs={"public_id": context["request"].public_id})


@register
class TimeOffDecided(NotificationKind):
    key = "time_off.decided"
    label = "Your time off is approved or denied"
    description = "Your manager or HR decided on your request for time off."
    template = "time_off/notifications/decided.txt"

    def is_for(self, user) -> bool:
        return getattr(user, "employee", None) is not None

    def recipients(self, params):
        request = _request(params)
        if request is None or request.employee.user_id is None:
            return []
        return get_user_model().objects.filter(pk=request.employee.user_id, is_active=True)

    def context(self, params):
        request = _request(params)
        if request is None or request.status not in (Status.APPROVED, Status.DENIED):
            return None
        return {"request": request}

    def subject(self, context) -> str:
        request = context["request"]
        return f"Your {request.leave_type.name.lower()} is {request.get_status_display().lower()}"

    def url(self, context) -> str:
        return reverse("time_off:request", kwargs={"public_id": context["request"].public_id})


@register
class TimeOffReminder(TimeOffSubmitted):
    """The same people and the same pending request as the first notice, told again."""

    key = "time_off.reminder"
    label = "A request for time off is still waiting"
    description = "A request has waited for your approval for more than 3 working days."
    template = "time_off/notifications/reminder.txt"

    def subject(self, context) -> str:
        return f"Still waiting: time off for {context['request'].employee}"

    def url(self, context) -> str:
        return reverse("time_off:request", kwargs={"public_id": context["request"].public_id})
