"""What owners are told when SCIM provisioning from Entra ID looks broken."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.dateparse import parse_datetime

from accounts.roles import is_owner
from accounts.selectors import owner_list
from notifications.kinds import NotificationKind, register


class _OwnersProvisioningKind(NotificationKind):
    def is_for(self, user) -> bool:
        return is_owner(user)

    def recipients(self, params: dict[str, Any]):
        return owner_list()


@register
class ScimFailing(_OwnersProvisioningKind):
    key = "provisioning.failing"
    label = "Provisioning from Entra ID has been failing for an hour"
    description = "Every SCIM request has failed for an hour or more (told once per outage)."
    template = "provisioning/notifications/failing.txt"

    def context(self, params: dict[str, Any]) -> dict[str, Any]:
        return {**params, "failing_since": parse_datetime(params["failing_since"])}

    def subject(self, context: dict[str, Any]) -> str:
        return "Provisioning from Entra ID is failing"

    def url(self, context: dict[str, Any]) -> str:
        return reverse("provisioning:log") + "?status=failed"


@register
class ScimSilent(_OwnersProvisioningKind):
    key = "provisioning.silent"
    label = "Entra ID has sent nothing for more than a day"
    description = "No SCIM request for 24 hours after provisioning had worked (told once)."
    template = "provisioning/notifications/silent.txt"

    def context(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"last_request_at": parse_datetime(params["last_request_at"])}

    def subject(self, context: dict[str, Any]) -> str:
        return "Entra ID has stopped provisioning"

    def url(self, context: dict[str, Any]) -> str:
        return reverse("provisioning:log")
