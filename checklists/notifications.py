"""What people are told about checklists: tasks assigned, a daily digest, and leavers whom
Entra still shows active after their access ended."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.roles import is_hr_admin
from checklists.models import Checklist
from checklists.selectors import (
    checklist_assignee_user_ids,
    hr_and_it_users,
    tasks_for_digest,
    user_is_it,
)
from employees.models import Employee
from notifications.kinds import NotificationKind, register
from provisioning.models import ProvisioningEvent


def _is_worker(user) -> bool:
    return is_hr_admin(user) or user_is_it(user) or hasattr(user, "employee")


@register
class TaskAssigned(NotificationKind):
    key = "checklists.task_assigned"
    label = "Checklist tasks are assigned to you"
    description = "An onboarding, offboarding or role-change checklist gives you tasks."
    template = "checklists/notifications/assigned.txt"

    def is_for(self, user) -> bool:
        return _is_worker(user)

    def recipients(self, params: dict[str, Any]):
        users = get_user_model().objects.filter(is_active=True)
        if params.get("manager_id"):  # tasks handed to a new manager: only they are told
            return users.filter(employee__pk=params["manager_id"])
        ids = checklist_assignee_user_ids(checklist_id=params["checklist_id"])
        return users.filter(pk__in=ids)

    def context(self, params: dict[str, Any]) -> dict[str, Any] | None:
        checklist = (
            Checklist.objects.select_related("employee").filter(pk=params["checklist_id"]).first()
        )
        if checklist is None or not checklist.is_running:
            return None
        return {"checklist": checklist}

    def subject(self, context: dict[str, Any]) -> str:
        checklist = context["checklist"]
        return f"{checklist.name} for {checklist.employee}: tasks for you"

    def url(self, context: dict[str, Any]) -> str:
        return reverse("checklists:my-tasks")


@register
class Digest(NotificationKind):
    key = "checklists.digest"
    label = "Checklist tasks due tomorrow or overdue"
    description = "Once a day, one message listing your tasks due tomorrow and those overdue."
    template = "checklists/notifications/digest.txt"

    def is_for(self, user) -> bool:
        return _is_worker(user)

    def recipients(self, params: dict[str, Any]):
        return get_user_model().objects.filter(pk=params["user_id"], is_active=True)

    def context(self, params: dict[str, Any]) -> dict[str, Any] | None:
        user = get_user_model().objects.filter(pk=params["user_id"]).first()
        if user is None:
            return None
        today = dt.date.fromisoformat(params["date"])
        tomorrow, overdue = tasks_for_digest(user=user, today=today)
        if not tomorrow and not overdue:
            return None
        return {"tomorrow": tomorrow, "overdue": overdue, "today": today}

    def subject(self, context: dict[str, Any]) -> str:
        parts = []
        if context["tomorrow"]:
            parts.append(f"{len(context['tomorrow'])} due tomorrow")
        if context["overdue"]:
            parts.append(f"{len(context['overdue'])} overdue")
        return "Your checklist tasks: " + ", ".join(parts)

    def url(self, context: dict[str, Any]) -> str:
        return reverse("checklists:my-tasks")


@register
class EntraStillActive(NotificationKind):
    key = "checklists.entra_still_active"
    label = "A leaver is still active in Entra ID"
    description = (
        "A day after Alexis ended a leaver's access on their end date, Entra ID still shows "
        "them active."
    )
    template = "checklists/notifications/still_active.txt"

    def is_for(self, user) -> bool:
        return is_hr_admin(user) or user_is_it(user)

    def recipients(self, params: dict[str, Any]):
        return hr_and_it_users()

    def context(self, params: dict[str, Any]) -> dict[str, Any] | None:
        employee = Employee.objects.filter(
            pk=params["employee_id"], active=True, deleted_at__isnull=True
        ).first()
        if employee is None:
            return None  # Entra deprovisioned them meanwhile
        last_event = (
            ProvisioningEvent.objects.filter(employee=employee)
            .order_by("-occurred_at")
            .values_list("occurred_at", flat=True)
            .first()
        )
        return {
            "employee": employee,
            "end_date": dt.date.fromisoformat(params["end_date"]),
            "last_touched": last_event or employee.last_synced_at,
        }

    def subject(self, context: dict[str, Any]) -> str:
        return f"{context['employee']} left but is still active in Entra ID"

    def url(self, context: dict[str, Any]) -> str:
        return reverse("employees:profile", kwargs={"public_id": context["employee"].public_id})
