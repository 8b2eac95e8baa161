"""The event types endpoints can subscribe to, and how an audited change becomes an event.

Every audited write records a history entry (audit.services); an entry of a registered
source is an event named `<resource>.<action>`: `employee.updated`, `team.deleted`, ...
A feature adds its events by registering its ChangeRecord model as a source (with a function
that returns the resource's JSON) and its event types, from its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from audit.models import ChangeAction
from public_api.serializers import EmployeeSerializer, TeamSerializer
from teams.selectors import team_list_with_counts


@dataclass(frozen=True)
class EventType:
    name: str
    label: str
    description: str


@dataclass(frozen=True)
class Source:
    """A change history whose entries are events: `prefix.action`, with the resource as JSON."""

    prefix: str
    resource: Callable[[Any], dict[str, Any]]
    # Relations of the history entry that `resource` reads, fetched with it in one query.
    select_related: tuple[str, ...] = ()


EVENT_TYPES: dict[str, EventType] = {}
SOURCES: dict[str, Source] = {}


def event_type_register(name: str, label: str, description: str) -> None:
    """Declare an event type that owners can subscribe endpoints to."""
    EVENT_TYPES[name] = EventType(name, label, description)


def source_register(
    record_label: str,
    *,
    prefix: str,
    resource: Callable[[Any], dict],
    select_related: tuple[str, ...] = (),
) -> None:
    """Make the entries of a change history (a ChangeRecord model, "app.Model") events."""
    SOURCES[record_label] = Source(prefix, resource, select_related)


def event_name(record_label: str, action: str) -> str | None:
    """Return the event type of a history entry, or None when it is no registered event."""
    source = SOURCES.get(record_label)
    if source is None:
        return None
    name = f"{source.prefix}.{action}"
    return name if name in EVENT_TYPES else None


def event_type_choices() -> list[tuple[str, str]]:
    return [(event.name, event.label) for event in EVENT_TYPES.values()]


def _employee_resource(employee: Any) -> dict[str, Any]:
    # The resource as the public API shows it, so that receivers read one schema.
    return {**EmployeeSerializer(employee).data, "deleted": employee.deleted_at is not None}


def _team_resource(team: Any) -> dict[str, Any]:
    counted = team_list_with_counts(include_deleted=True).get(pk=team.pk)
    return {**TeamSerializer(counted).data, "deleted": team.deleted_at is not None}


def register_builtin() -> None:
    """Register the employee and team events."""
    source_register(
        "employees.EmployeeChange",
        prefix="employee",
        resource=_employee_resource,
        select_related=("employee__manager",),
    )
    source_register("teams.TeamChange", prefix="team", resource=_team_resource)
    for name, label, description in [
        (ChangeAction.CREATED, "Employee created", "An employee was added."),
        (
            ChangeAction.UPDATED,
            "Employee updated",
            "Fields of an employee changed; the event names them with old and new values.",
        ),
        (ChangeAction.DEACTIVATED, "Employee deactivated", "An employee was made inactive."),
        (ChangeAction.REACTIVATED, "Employee reactivated", "An employee was made active again."),
        (ChangeAction.DELETED, "Employee deleted", "An employee was deleted."),
    ]:
        event_type_register(f"employee.{name}", label, description)
    for name, label, description in [
        (ChangeAction.CREATED, "Team created", "A team was added."),
        (
            ChangeAction.UPDATED,
            "Team updated",
            "A team's name or members changed; the event says which.",
        ),
        (ChangeAction.DELETED, "Team deleted", "A team was deleted."),
    ]:
        event_type_register(f"team.{name}", label, description)
