"""What HR admins are told about self-service changes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from accounts.roles import is_hr_admin
from accounts.selectors import hr_admin_list
from employees.models import Employee
from notifications.kinds import NotificationKind, register
from self_service.models import ChangeRequest, ChangeRequestStatus


@register
class ChangeRequested(NotificationKind):
    key = "self_service.change_requested"
    label = "An employee asks to change their personal details"
    description = "The change waits for an HR admin to approve it (on the Approvals page)."
    template = "self_service/notifications/change_requested.txt"

    def is_for(self, user) -> bool:
        return is_hr_admin(user)

    def recipients(self, params: dict[str, Any]):
        return hr_admin_list()

    def context(self, params: dict[str, Any]) -> dict[str, Any] | None:
        employee = Employee.objects.filter(pk=params["employee_id"]).first()
        waiting = list(
            ChangeRequest.objects.filter(
                pk__in=params["request_ids"], status=ChangeRequestStatus.PENDING
            )
        )
        if employee is None or not waiting:
            return None  # decided (or gone) before anyone was told
        return {"employee": employee, "changes": waiting}

    def subject(self, context: dict[str, Any]) -> str:
        return f"{context['employee']} asks to change their personal details"

    def url(self, context: dict[str, Any]) -> str:
        return reverse("self_service:approvals")
