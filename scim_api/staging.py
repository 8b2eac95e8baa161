"""What both adapters share: the resource's public id, staged changes, the If-Match version
and the actor their writes are recorded under."""

from __future__ import annotations

from typing import Any

from employees.models import Channel
from employees.services import Actor
from scim_api.outcome import outcome_for


class StagingAdapter:
    """Mixed into django-scim2's SCIMUser/SCIMGroup: changes are staged, then saved at once."""

    id_field = "public_id"

    def __init__(self, obj: Any, request=None) -> None:
        super().__init__(obj, request)
        self.staged: dict[str, Any] = {}
        self.expected_version: int | None = None

    @property
    def id(self) -> str:
        return str(self.obj.public_id)

    def actor(self) -> Actor:
        """The SCIM channel with the request's access token, as the change history records."""
        return Actor(channel=Channel.SCIM, token=outcome_for(self.request).token)
