"""The webhook events of time off: each entry of a request's history is one."""

from __future__ import annotations

from typing import Any

from time_off.models import RequestAction
from webhooks.events import event_type_register, source_register


def _request_resource(request: Any) -> dict[str, Any]:
    from time_off.serializers import TimeOffRequestSerializer

    return TimeOffRequestSerializer(request).data


def register() -> None:
    """Make request history entries webhook events: time_off.requested, .approved, ..."""
    source_register(
        "time_off.TimeOffRequestChange",
        prefix="time_off",
        resource=_request_resource,
        select_related=("request__employee", "request__leave_type", "request__approver"),
    )
    for action, label, description in [
        (RequestAction.REQUESTED, "Time off requested", "Someone asked for time off."),
        (RequestAction.APPROVED, "Time off approved", "A request for time off was approved."),
        (RequestAction.DENIED, "Time off denied", "A request for time off was denied."),
        (
            RequestAction.CANCELLED,
            "Time off cancelled",
            "A request for time off was cancelled (by the person, an approver, HR, or because "
            "the person left).",
        ),
    ]:
        event_type_register(f"time_off.{action}", label, description)
