"""What happened on each SCIM request, collected in one object for the provisioning log.

The views and the adapter fill in a RequestOutcome attached to the request. `outcome_complete`
is the single place where a request's outcome is final: it runs inside the write's transaction
for a successful change (so that whatever it records commits or rolls back with the change) and
after the response otherwise (reads, errors, rolled-back writes, refused credentials).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from provisioning.services import provisioning_event_record

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from access_tokens.models import AccessToken
    from employees.models import Employee
    from teams.models import Team


class Operation:
    """What a SCIM request asked for."""

    LIST = "list"
    SEARCH = "search"
    READ = "read"
    CREATE = "create"
    REPLACE = "replace"
    PATCH = "patch"
    DELETE = "delete"
    DISCOVERY = "discovery"
    GROUPS = "groups"
    UNSUPPORTED = "unsupported"


@dataclass
class RequestOutcome:
    """The outcome of one SCIM request, filled in while it is handled."""

    method: str
    path: str
    operation: str | None = None
    token: AccessToken | None = None
    status: int | None = None
    scim_type: str | None = None
    detail: str = ""
    employee: Employee | None = None
    team: Team | None = None
    # "User" or "Group": the kind of resource the request was about.
    resource_type: str | None = None
    resource_id: str | None = None
    # Changed fields as {"field": [old, new]}, as recorded in the change history; for a team,
    # membership changes as {"members_added": {"count", "user_names"}, "members_removed": ...}.
    changes: dict[str, list[Any]] = field(default_factory=dict)
    # SCIM attributes the client sent that Alexis does not keep (accepted and ignored).
    not_kept: list[str] = field(default_factory=list)
    in_transaction: bool = False
    completed: bool = False
    # perf_counter() when the request reached the SCIM endpoint, for the event's duration.
    started: float = field(default_factory=time.perf_counter)

    def warn_not_kept(self, attribute: str) -> None:
        """Note an attribute that was sent with a value Alexis does not keep (once each)."""
        if attribute not in self.not_kept:
            self.not_kept.append(attribute)


def outcome_for(request: HttpRequest) -> RequestOutcome:
    """Return the request's outcome object, creating it on first use."""
    outcome = getattr(request, "scim_outcome", None)
    if outcome is None:
        outcome = RequestOutcome(method=request.method or "", path=request.path)
        request.scim_outcome = outcome
    return outcome


def outcome_complete(
    request: HttpRequest, response: HttpResponse, *, in_transaction: bool = False
) -> RequestOutcome:
    """Mark the request's outcome final (once) and record it in the provisioning log.

    Inside a write's transaction the event commits or rolls back with the change; if recording
    fails there, the change rolls back too and the refusal is recorded after the rollback.
    """
    outcome = outcome_for(request)
    if outcome.completed:
        return outcome
    outcome.status = response.status_code
    outcome.in_transaction = in_transaction
    provisioning_event_record(
        outcome=outcome,
        request=request,
        status=response.status_code,
        duration_ms=round((time.perf_counter() - outcome.started) * 1000),
    )
    outcome.completed = True
    return outcome
