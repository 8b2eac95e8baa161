"""Extensions of the SCIM User: Alexis's custom fields and the roles Entra ID assigns.

Both are providers for the attribute catalogue (registered in ScimApiConfig.ready()):
- Custom fields join Alexis's own extension schema, ALEXIS_USER (always published: it holds
  the built-in startDate and endDate), one attribute per field an owner defined; they filter,
  sort, patch and appear in /Schemas like built-in attributes.
  Text fields compare case-exactly (a GIN index on PostgreSQL serves `eq`); choices compare
  in any letter case. Dates are answered as dateTime at midnight UTC.
- `roles` (RFC 7643 §4.1.2), while an owner has Roles from Entra ID turned on, keeps the app
  roles Entra assigns, as sent, and accounts grants or removes HR admin from them. Entra's
  AppRoleAssignmentsComplex sends additions only (`add`): they merge. A `replace`, a POST or
  `roles[primary eq "True"].value` (SingleAppRoleAssignment) sets the roles.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.fields.json import KT
from django.db.models.lookups import (
    Contains,
    EndsWith,
    GreaterThan,
    GreaterThanOrEqual,
    IContains,
    IEndsWith,
    IStartsWith,
    LessThan,
    LessThanOrEqual,
    StartsWith,
)
from scim2_models.path import CompareOperator, Comparison, LogicalExpr, LogicalOperator

from accounts.selectors import entra_role_mapping_current
from custom_fields import values as custom_values
from custom_fields.models import CustomField, FieldType
from custom_fields.selectors import custom_field_definitions
from scim_api.attributes import ALEXIS_USER, CORE_USER, Attribute, Schema
from scim_api.catalogue import ALEXIS_USER_ATTRIBUTES
from scim_api.errors import invalid_filter, invalid_path, invalid_value
from scim_api.filters import ElementMatcher
from scim_api.patch import ci_get
from scim_api.values import parse_boolean

# Names of Alexis's extension that custom fields cannot take (custom_fields refuses them).
RESERVED_NAMES = frozenset(a.name.lower() for a in ALEXIS_USER_ATTRIBUTES)
NOTHING = Q(pk__in=[])
MAX_ROLES = 100

SCIM_TYPES = {
    FieldType.TEXT: "string",
    FieldType.NUMBER: "decimal",
    FieldType.DATE: "dateTime",
    FieldType.BOOLEAN: "boolean",
    FieldType.CHOICE: "string",
}
_TEXT_LOOKUPS = {"co": Contains, "sw": StartsWith, "ew": EndsWith}
_CI_TEXT_LOOKUPS = {"co": IContains, "sw": IStartsWith, "ew": IEndsWith}
_ORDER_LOOKUPS = {
    "gt": GreaterThan,
    "ge": GreaterThanOrEqual,
    "lt": LessThan,
    "le": LessThanOrEqual,
}
_ORDER_ORM = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}

# ---------------------------------------------------------------------------------------------
# Custom fields


def _parser(definition: CustomField):
    def parse(value: Any, attribute: Attribute) -> Any:
        try:
            parsed = custom_values.parse(definition, value)
        except ValidationError as exc:
            raise invalid_value(f"{attribute.label}: {exc.messages[0]}") from None
        if parsed is None and definition.required:
            # A POST without it, a PUT or PATCH that sets it to null or removes it; a PUT or
            # PATCH that leaves it out keeps the value (or the absence) the employee has.
            raise invalid_value(f"{attribute.label} is required.")
        return parsed

    return parse


def _format(definition: CustomField):
    if definition.field_type == FieldType.DATE:
        return lambda stored: f"{stored}T00:00:00Z"
    return None


def _comparer(definition: CustomField):
    """Build the filter comparison of one custom field (RFC 7644 §3.4.2.2 operators)."""
    name = definition.name
    path = f"{custom_values.STORAGE}__{name}"
    kind = definition.field_type

    def compare(attribute: Attribute, op: str, value: Any, label: str) -> Q:
        present = Q(**{f"{custom_values.STORAGE}__has_key": name})
        if op == "pr":
            return present
        if value is None:
            if op in ("eq", "ne"):
                return ~present if op == "eq" else present
            raise invalid_filter(f"null cannot be compared with {op} on {label!r}.")
        try:
            stored = custom_values.parse(definition, value)
        except ValidationError as exc:
            if kind == FieldType.CHOICE and op in ("eq", "ne"):
                return NOTHING if op == "eq" else ~NOTHING  # a value no one can hold
            raise invalid_filter(f"{label!r}: {exc.messages[0]}") from None
        if op in ("eq", "ne"):
            q = custom_values.equals_q(definition, stored)
            return q if op == "eq" else ~q
        if op in ("co", "sw", "ew"):
            if kind not in (FieldType.TEXT, FieldType.CHOICE):
                raise invalid_filter(f"{label!r} can be compared with eq, ne, gt, ge, lt, le, pr.")
            lookups = _TEXT_LOOKUPS if kind == FieldType.TEXT else _CI_TEXT_LOOKUPS
            return Q(lookups[op](KT(path), str(value)))
        if kind == FieldType.BOOLEAN:
            raise invalid_filter(f"{label!r} can only be compared with eq or ne.")
        if kind == FieldType.NUMBER:
            return Q(**{f"{path}__{_ORDER_ORM[op]}": stored})
        return Q(_ORDER_LOOKUPS[op](KT(path), stored))

    return compare


def _description(definition: CustomField) -> str:
    text = f"{definition.label} ({definition.get_field_type_display()}"
    if definition.field_type == FieldType.DATE:
        text += "; a date, answered at midnight UTC"
    text += f"; who sees it in Alexis: {definition.get_visibility_display()})."
    return text


def custom_field_attribute(definition: CustomField) -> Attribute:
    """Return the SCIM attribute of one custom field."""
    return Attribute(
        definition.name,
        schema=ALEXIS_USER,
        type=SCIM_TYPES[definition.field_type],
        description=_description(definition),
        field=f"{custom_values.STORAGE}.{definition.name}",
        orm=f"{custom_values.STORAGE}__{definition.name}",
        kind="custom",
        case_exact=definition.field_type == FieldType.TEXT,
        required=definition.required,
        canonical_values=tuple(definition.choices),
        parse=_parser(definition),
        format=_format(definition),
        read=lambda employee, name=definition.name: employee.custom_fields.get(name),
        compare=_comparer(definition),
        # A client that does not know Alexis's fields (a PUT without them) keeps HR's values.
        keep_when_absent=True,
    )


_built: tuple[Any, list[Attribute | Schema]] = (None, [])


def custom_field_attributes(request=None) -> Iterator[Attribute | Schema]:
    """Yield an attribute of Alexis's extension per custom field.

    A field named like a built-in one (startDate, defined before Alexis had it) is left out:
    the employee's own date answers to that name.
    """
    global _built
    definitions = custom_field_definitions.get()
    if _built[0] is not definitions:  # built once per read of the definitions
        entries: list[Attribute | Schema] = [
            custom_field_attribute(d) for d in definitions if d.name.lower() not in RESERVED_NAMES
        ]
        _built = (definitions, entries)
    return iter(_built[1])


# ---------------------------------------------------------------------------------------------
# Roles


def _role_element(item: Any, attribute: Attribute) -> dict[str, Any]:
    """Return one role as kept: its value, display, type and primary as far as they were sent."""
    if isinstance(item, str):
        item = {"value": item}
    if not isinstance(item, dict):
        raise invalid_value("roles: each role must be an object.")
    value = ci_get(item, "value")
    display = ci_get(item, "display") or ci_get(item, "displayName")
    if isinstance(value, str) and value.strip().startswith("{"):
        # AppRoleAssignmentsComplex in a PATCH: the role as a JSON-encoded string.
        try:
            inner = json.loads(value)
        except ValueError:
            inner = None
        if isinstance(inner, dict) and isinstance(inner.get("value"), str):
            value, display = inner["value"], display or inner.get("displayName")
    element: dict[str, Any] = {}
    for key, text in (("value", value), ("display", display), ("type", ci_get(item, "type"))):
        if text is None or text == "":
            continue
        if not isinstance(text, str) or "\x00" in text:
            raise invalid_value(f"roles.{key} must be a string.")
        element[key] = text.strip() if key == "value" else text
    primary = ci_get(item, "primary")
    if primary is not None:
        element["primary"] = parse_boolean(primary, attribute)
    return element


def parse_roles(value: Any, attribute: Attribute) -> list[dict[str, Any]]:
    """Return the roles of a `roles` value (a list, one role, or null), without repeats."""
    if value is None:
        return []
    if isinstance(value, dict | str):
        value = [value]
    if not isinstance(value, list):
        raise invalid_value("roles must be a list of roles.")
    roles: dict[str, dict[str, Any]] = {}
    for item in value:
        element = _role_element(item, attribute)
        roles[element.get("value") or json.dumps(element, sort_keys=True)] = element
    if len(roles) > MAX_ROLES:
        raise invalid_value(f"roles: at most {MAX_ROLES} roles.")
    return list(roles.values())


class _RoleMatcher(ElementMatcher):
    """Match a role against a value filter; `primary eq "True"` matches a true primary."""

    def visit_comparison(self, node: Comparison) -> bool:
        actual = self.element.get(node.attr_path.attr.lower())
        expected = node.value
        if isinstance(actual, bool) and isinstance(expected, str):
            if expected.lower() not in ("true", "false"):
                return False
            expected = expected.lower() == "true"
            return (actual == expected) == (node.op == CompareOperator.eq)
        return super().visit_comparison(node)


def _seed(node: Any) -> dict[str, Any]:
    """Return the attribute values a filter of `eq` comparisons (joined by and) asks for."""
    if isinstance(node, Comparison) and node.op == CompareOperator.eq:
        return {node.attr_path.attr.lower(): node.value}
    if isinstance(node, LogicalExpr) and node.op == LogicalOperator.and_:
        seed: dict[str, Any] = {}
        for term in node.terms:
            seed.update(_seed(term))
        return seed
    return {}


def _current_roles(adapter: Any) -> list[dict[str, Any]]:
    if "entra_roles" in adapter.staged:
        return list(adapter.staged["entra_roles"])
    return list(adapter.obj.entra_roles or []) if adapter.obj.pk else []


def _stage_roles(adapter: Any, roles: list[dict[str, Any]]) -> None:
    """Stage the employee's roles (only reached while Roles from Entra ID is on)."""
    if roles or _current_roles(adapter):
        adapter.staged["entra_roles"] = roles


def _patch_roles(
    adapter: Any, op: str, value_filter: Any, sub: str | None, value: Any, *, attribute: Attribute
) -> None:
    """Apply one PATCH operation to the roles (RFC 7644 §3.5.2)."""
    current = _current_roles(adapter)
    if value_filter is None:
        if sub is not None:
            raise invalid_path(f"Unknown attribute path 'roles.{sub}'.")
        incoming = parse_roles(value, attribute)
        # add merges (Entra's additions); replace sets them; remove (no value) clears them.
        roles = parse_roles([*current, *incoming], attribute) if op == "add" else incoming
        return _stage_roles(adapter, roles)
    matches = [_RoleMatcher(role).visit(value_filter) for role in current]
    if op == "remove":
        roles = [role for role, hit in zip(current, matches, strict=True) if not hit]
    elif sub is None:
        roles = [role for role, hit in zip(current, matches, strict=True) if not hit]
        roles += parse_roles(value, attribute)
    else:
        key = {"value": "value", "display": "display", "type": "type", "primary": "primary"}.get(
            sub.lower()
        )
        if key is None:
            raise invalid_path(f"Unknown attribute path 'roles.{sub}'.")
        roles = [
            {**role, key: value} if hit else role
            for role, hit in zip(current, matches, strict=True)
        ]
        if not any(matches):
            roles.append({**_seed(value_filter), key: value})
    return _stage_roles(adapter, parse_roles(roles, attribute))


def _roles_attribute() -> Attribute:
    attribute = Attribute(
        "roles",
        schema=CORE_USER,
        type="complex",
        multi_valued=True,
        description=(
            "App roles Microsoft Entra ID assigns (value, display, type, primary), kept as "
            "sent; the values an owner maps grant HR admin."
        ),
        field="entra_roles",
        kind="",
        sortable=False,
        parse=parse_roles,
        read=lambda employee: employee.entra_roles or None,
        stage=_stage_roles,
        keep_when_absent=True,
    )
    return dataclasses.replace(
        attribute,
        patch=lambda adapter, op, value_filter, sub, value: _patch_roles(
            adapter, op, value_filter, sub, value, attribute=attribute
        ),
    )


ROLES = _roles_attribute()


def role_attributes(request=None) -> Iterator[Attribute]:
    """Yield the `roles` attribute while an owner has Roles from Entra ID turned on.

    Off (the default), `roles` is an attribute Alexis does not keep: accepted, ignored and
    noted on the provisioning log, and left out of /Schemas.
    """
    if entra_role_mapping_current.get().enabled:
        yield ROLES
