"""What both adapters share: the resource's public id, staged changes, the If-Match version
and the actor their writes are recorded under."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError

from employees.models import Channel
from employees.services import Actor, VersionConflict
from scim_api.errors import ScimError, not_found, validation_error
from scim_api.outcome import outcome_for


class StagingAdapter:
    """Mixed into django-scim2's SCIMUser/SCIMGroup: changes are staged, then saved at once."""

    id_field = "public_id"
    # The provisioning log event's field that names the written record ("employee", "team").
    outcome_field = ""

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

    @contextmanager
    def service_errors(
        self, label_of: Callable[[str], str | None] = lambda name: None
    ) -> Iterator[None]:
        """Answer a write service's refusal as SCIM: 400 naming the attribute, 412 when the
        If-Match version is stale (RFC 7644 §3.14), 404 when the resource went meanwhile."""
        try:
            yield
        except ValidationError as exc:
            raise validation_error(exc, label_of) from None
        except VersionConflict:
            noun = self.resource_type.lower()
            raise ScimError(
                412, f"The {noun} changed since it was read (If-Match failed)."
            ) from None
        except type(self.obj).DoesNotExist:
            raise not_found(self.id) from None

    def record_outcome(self, obj: Any) -> None:
        """Leave what a write did on the request's outcome (the provisioning log's event)."""
        outcome = outcome_for(self.request)
        setattr(outcome, self.outcome_field, obj)
        outcome.resource_type = self.resource_type
        outcome.resource_id = str(obj.public_id)
        outcome.changes = obj.recorded_changes
