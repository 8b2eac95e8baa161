"""The SCIM Group resource <-> Team (RFC 7643 §4.2), members being Users.

The adapter stages a full Group or PATCH operations in every shape Entra sends and applies
them at once through teams.services, membership changes reduced to one set/add/remove.
"""

from __future__ import annotations

from typing import Any

from django_scim.adapters import SCIMGroup
from scim2_models.path import Comparison, FilterNode, LogicalExpr, LogicalOperator

from scim_api.attributes import CORE_GROUP
from scim_api.catalogue import group_catalogue
from scim_api.errors import ScimError, bad_request, invalid_path
from scim_api.filters import ElementMatcher, QBuilder
from scim_api.locations import resource_meta, resource_url
from scim_api.patch import Target, ci_get, operations, targets
from scim_api.staging import StagingAdapter
from scim_api.values import parse_string
from teams.models import Team
from teams.selectors import team_member_summaries
from teams.services import team_create, team_delete, team_update

CATALOGUE = group_catalogue()
READ_ONLY = {"id", "meta", "schemas"}


def _label_of(field: str) -> str | None:
    return "members" if field == "members" else CATALOGUE.field_label(field)


def _member_id(element: Any) -> str:
    """Return the employee id of one members element ({"value": id, ...} or a bare id)."""
    if isinstance(element, dict):
        element = ci_get(element, "value")
    if not isinstance(element, str) or not element.strip() or "\x00" in element:
        raise ScimError(400, "members: each member needs a value with a user id.", "invalidValue")
    return element.strip().lower()


def _member_ids(value: Any) -> list[str]:
    """Return the employee ids of a members value: a list of elements, or a single one."""
    if value is None:
        return []
    if not isinstance(value, list):
        value = [value]
    return list(dict.fromkeys(_member_id(element) for element in value))


def _value_eq_ids(node: FilterNode) -> list[str] | None:
    """Return the ids of a `value eq "id" [or value eq "id2"...]` filter, else None."""
    if isinstance(node, LogicalExpr) and node.op == LogicalOperator.or_:
        ids: list[str] = []
        for term in node.terms:
            found = _value_eq_ids(term)
            if found is None:
                return None
            ids += found
        return ids
    if (
        isinstance(node, Comparison)
        and node.op == "eq"
        and node.attr_path.uri is None
        and node.attr_path.sub_attr is None
        and node.attr_path.attr.lower() == "value"
        and isinstance(node.value, str)
    ):
        return [node.value.strip().lower()]
    return None


class MemberChanges:
    """PATCH member operations collected in order and reduced to one set/add/remove."""

    def __init__(self) -> None:
        self.set_ids: dict[str, None] | None = None
        self.add_ids: dict[str, None] = {}
        self.remove_ids: dict[str, None] = {}

    def replace(self, ids: list[str]) -> None:
        self.set_ids = dict.fromkeys(ids)
        self.add_ids = {}
        self.remove_ids = {}

    def add(self, ids: list[str]) -> None:
        for key in ids:
            if self.set_ids is not None:
                self.set_ids[key] = None
            else:
                self.add_ids[key] = None
                self.remove_ids.pop(key, None)

    def remove(self, ids: list[str]) -> None:
        for key in ids:
            if self.set_ids is not None:
                self.set_ids.pop(key, None)
            else:
                self.remove_ids[key] = None
                self.add_ids.pop(key, None)


class TeamAdapter(StagingAdapter, SCIMGroup):
    """django-scim2 adapter presenting a Team as a SCIM Group whose members are Users."""

    url_name = "scim:groups"
    resource_type = "Group"
    outcome_field = "team"

    def __init__(self, obj: Team, request=None, members: list[dict] | None = None) -> None:
        super().__init__(obj, request)
        self.member_summaries = members
        self.member_changes = MemberChanges()

    # -- output -------------------------------------------------------------------------------

    @property
    def location(self) -> str:
        return f"{resource_url(self.request, 'scim:groups')}/{self.id}"

    def load_members(self) -> list[dict]:
        """Return the team's current members, read in one query when not preloaded."""
        if self.member_summaries is None:
            self.member_summaries = team_member_summaries(team_ids=[self.obj.pk])[self.obj.pk]
        return self.member_summaries

    def to_dict(self, *, include_members: bool = True) -> dict[str, Any]:
        """Return the Group resource; members only when asked (a team may have thousands)."""
        d: dict[str, Any] = {"schemas": [CORE_GROUP]}
        for attribute in CATALOGUE.attributes:
            if attribute.sub is None and attribute.listed and attribute.field:
                value = attribute.output(self.obj)
                if value not in (None, ""):
                    d[attribute.name] = value
        if include_members:
            users_url = resource_url(self.request, "scim:users")
            d["members"] = [
                {
                    "value": str(member["public_id"]),
                    "$ref": f"{users_url}/{member['public_id']}",
                    "display": member["name"],
                    "type": "User",
                }
                for member in self.load_members()
            ]
        d["meta"] = resource_meta("Group", self.obj, self.location)
        return d

    # -- POST and PUT ---------------------------------------------------------------------------

    def from_dict(self, d: Any) -> None:
        """Stage a full Group resource (POST creates it, PUT replaces every attribute)."""
        if not isinstance(d, dict):
            raise bad_request("The request body must be a JSON object.", "invalidSyntax")
        for attribute in CATALOGUE.attributes:
            if attribute.sub is None and attribute.writable and attribute.field:
                value = ci_get(d, attribute.name)
                self.staged[attribute.field] = attribute.parse(value, attribute)
        self.member_changes.replace(_member_ids(ci_get(d, "members")))

    # -- PATCH ----------------------------------------------------------------------------------

    def handle_operations(self, body_operations: Any) -> None:
        """Collect PATCH operations (RFC 7644 §3.5.2) in every shape Entra sends; apply once."""
        for op, path, value in operations(body_operations):
            for target in targets(op, path, value):
                self._apply(target)
        self.save()

    def _apply(self, target: Target) -> None:
        attr_path, value_filter, sub = target.parts
        if attr_path.uri is not None and attr_path.uri.lower() != CORE_GROUP.lower():
            raise invalid_path(f"Unknown attribute path {target.text!r}.")
        name = attr_path.attr.lower()
        if name in READ_ONLY and value_filter is None:
            if target.pathless:
                return
            raise ScimError(400, f"{attr_path.attr} is read-only.", "mutability")
        if name == "members":
            self._apply_members(target.op, value_filter, sub, target.value)
            return
        attribute = CATALOGUE.get(None, attr_path.attr)
        if attribute is None or value_filter is not None or sub is not None:
            raise invalid_path(f"Unknown attribute path {target.text!r}.")
        if not attribute.writable:
            raise ScimError(400, f"{attribute.name} is read-only.", "mutability")
        if target.op == "remove" and attribute.required:
            raise ScimError(400, f"{attribute.label} is required.", "invalidValue")
        value = None if target.op == "remove" else target.value
        self.staged[attribute.field] = parse_string(value, attribute)

    def _apply_members(self, op: str, value_filter: FilterNode | None, sub: str | None, value):
        if sub is not None and sub.lower() != "value":
            raise invalid_path(f"Unknown attribute path 'members.{sub}'.")
        if value_filter is not None:
            if op != "remove":
                raise invalid_path("A members[...] filter is only supported with remove.")
            self.member_changes.remove(self._matching_members(value_filter))
            return
        if op == "remove":
            if value is None:
                self.member_changes.replace([])  # RFC 7644 §3.5.2.2: remove them all
            else:
                # Entra sends the members to remove as the value (not RFC, documented by it).
                self.member_changes.remove(_member_ids(value))
        elif op == "add":
            self.member_changes.add(_member_ids(value))
        else:
            self.member_changes.replace(_member_ids(value))

    def _matching_members(self, value_filter: FilterNode) -> list[str]:
        """Return the ids that a members[...] filter selects; `value eq "id"` needs no read."""
        ids = _value_eq_ids(value_filter)
        if ids is not None:
            return ids
        # Refuse unknown sub-attributes (400 invalidFilter) before reading any member.
        members = CATALOGUE.get(None, "members")
        QBuilder(CATALOGUE, parent=_attr_path(members.name)).visit(value_filter)
        return [
            str(member["public_id"])
            for member in self.load_members()
            if ElementMatcher(
                {"value": str(member["public_id"]), "display": member["name"], "type": "User"}
            ).visit(value_filter)
        ]

    # -- writes -----------------------------------------------------------------------------------

    def save(self) -> None:
        """Create or update the team through teams.services, all changes at once."""
        changes = self.member_changes
        with self.service_errors(_label_of):
            if self.obj.pk is None:
                team = team_create(
                    actor=self.actor(),
                    display_name=self.staged["display_name"],
                    external_id=self.staged["external_id"],
                    member_ids=list(changes.set_ids or ()),
                )
            else:
                team = team_update(
                    team=self.obj,
                    actor=self.actor(),
                    data=self.staged,
                    set_member_ids=None if changes.set_ids is None else list(changes.set_ids),
                    add_member_ids=list(changes.add_ids),
                    remove_member_ids=list(changes.remove_ids),
                    expected_version=self.expected_version,
                )
        self.obj = team
        self.member_summaries = None
        self.record_outcome(team)

    def delete(self) -> None:
        """Soft-delete the team (RFC 7644 §3.6): gone for SCIM, kept with its history."""
        with self.service_errors():
            team = team_delete(team=self.obj, actor=self.actor())
        self.record_outcome(team)


def _attr_path(name: str):
    from scim2_models.path import AttrPath

    return AttrPath(attr=name)
