"""The SCIM User resource <-> Employee (RFC 7643 §4.1, §4.3), driven by the attribute catalogue.

The adapter stages changes from a POST/PUT body or PATCH operations (RFC 7644 §3.3, §3.5) and
applies them in save() through employees.services, as the SCIM channel with the request's
access token. Attributes Alexis does not keep are accepted and ignored, and each one that
carried a value is noted as a warning on the request's provisioning log event.
"""

from __future__ import annotations

from typing import Any

from django_scim.adapters import SCIMUser
from scim2_models.path import AttrPath

from employees.models import Employee
from employees.services import (
    PRESENTATION_FIELDS,
    employee_create,
    employee_delete,
    employee_update,
)
from scim_api.attributes import CORE_USER, Attribute, rfc_defines
from scim_api.catalogue import user_catalogue
from scim_api.errors import ScimError, bad_request, invalid_path, invalid_value
from scim_api.filters import ElementMatcher
from scim_api.locations import etag, resource_meta, resource_url
from scim_api.outcome import outcome_for
from scim_api.patch import Target, ci_get, operations, schema_named, targets
from scim_api.staging import StagingAdapter
from teams.selectors import employee_team_summaries

# Whole-resource attributes a client never writes: a PATCH path naming one is refused.
READ_ONLY = {"id", "meta", "schemas"}

__all__ = ["EmployeeAdapter", "etag"]


def work_element(value: Any, attribute: Attribute) -> dict | None:
    """Pick the element of a multi-valued attribute Alexis keeps (type work, or untyped)."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise invalid_value(f"{attribute.name} must be a list of objects.")
    untyped = None
    for element in value:
        kind = ci_get(element, "type")
        if isinstance(kind, str) and kind.lower() == attribute.element_type:
            return element
        if kind in (None, "") and untyped is None:
            untyped = element
    return untyped


def _empty(value: Any) -> bool:
    return value in (None, "", [], {})


class EmployeeAdapter(StagingAdapter, SCIMUser):
    """django-scim2 adapter presenting an Employee as a SCIM User with the enterprise extension."""

    url_name = "scim:users"
    resource_type = "User"
    outcome_field = "employee"

    def __init__(self, obj: Employee, request=None, groups: list[dict] | None = None) -> None:
        super().__init__(obj, request)
        self.catalogue = user_catalogue(request)
        self.team_summaries = groups

    # -- output -------------------------------------------------------------------------------

    def users_url(self) -> str:
        return resource_url(self.request, "scim:users")

    @property
    def location(self) -> str:
        return f"{self.users_url()}/{self.id}"

    def load_groups(self) -> list[dict]:
        """Return the employee's teams (RFC 7643 §4.1.2 groups), one query when not preloaded."""
        if self.team_summaries is None:
            pk = self.obj.pk
            # in_team, when read with the employee (in_team_annotation), spares the query.
            known_teamless = getattr(self.obj, "in_team", None) is False
            self.team_summaries = (
                employee_team_summaries(employee_ids=[pk])[pk] if pk and not known_teamless else []
            )
        return self.team_summaries

    def _groups(self) -> list[dict]:
        groups_url = resource_url(self.request, "scim:groups")
        return [
            {
                "value": str(group["public_id"]),
                "$ref": f"{groups_url}/{group['public_id']}",
                "display": group["name"],
                "type": "direct",
            }
            for group in self.load_groups()
        ]

    def to_dict(self) -> dict[str, Any]:
        """Return the User resource; empty attributes are left out, never sent as null."""
        obj = self.obj
        d: dict[str, Any] = {"schemas": [CORE_USER]}
        for attribute, container, subs, has_ref in self.catalogue.returned:
            if attribute.name == "groups" and container is None:
                value = self._groups() or None
            elif not subs:
                value = attribute.output(obj)
            else:
                value = {}
                for sub in subs:
                    item = sub.output(obj)
                    if item is not None and item != "":
                        value[sub.sub] = item
                if "value" not in value:
                    if attribute.multi_valued:
                        # An element without `value` (addresses): kept when it says more
                        # than its type.
                        value = [value] if set(value) - {"type"} else None
                    else:
                        value = value or None
                elif attribute.multi_valued:
                    value = [value]
                elif has_ref:
                    value["$ref"] = f"{self.users_url()}/{value['value']}"
            if value is None or value == "":
                continue
            if container is None:
                d[attribute.name] = value
            else:
                d.setdefault(container, {})[attribute.name] = value
        for schema in self.catalogue.schemas:
            if schema.extension and schema.id in d:
                d["schemas"].append(schema.id)
                d[schema.id] = d.pop(schema.id)  # extensions after the core attributes
        d["meta"] = resource_meta("User", obj, self.location)
        return d

    # -- staging one attribute ------------------------------------------------------------------

    def _stage(self, attribute: Attribute, value: Any) -> None:
        """Parse a value (None: removed) and stage it for save()."""
        if attribute.stage is not None:
            attribute.stage(self, attribute.parse(value, attribute))
            return
        if value is None and attribute.default is not None:
            value = attribute.default
        self.staged[attribute.field] = attribute.parse(value, attribute)

    def _ignore(self, name: str, value: Any) -> None:
        """Accept an attribute Alexis does not keep; a value it drops becomes a warning."""
        if not _empty(value):
            outcome_for(self.request).warn_not_kept(name)

    # -- POST and PUT ---------------------------------------------------------------------------

    def validate_dict(self, d: Any) -> None:
        """Check the body is a JSON object; attribute checks happen while reading it."""
        if not isinstance(d, dict):
            raise bad_request("The request body must be a JSON object.", "invalidSyntax")

    def _container(self, d: dict, schema: str) -> dict:
        if schema == CORE_USER:
            return d
        container = ci_get(d, schema)
        if container is None:
            return {}
        if not isinstance(container, dict):
            raise invalid_value(f"{schema} must be an object.")
        return container

    def _locate(self, d: dict, attribute: Attribute) -> Any:
        """Return the value a full resource gives an attribute, None when it has none."""
        container = self._container(d, attribute.schema)
        value = ci_get(container, attribute.name)
        if value is None and attribute.schema != CORE_USER:
            value = ci_get(d, attribute.name)  # tolerated without the extension object
        if attribute.sub is None:
            return value
        if attribute.element_type:
            element = work_element(value, attribute)
            return ci_get(element, attribute.sub) if element else None
        if value is not None and not isinstance(value, dict):
            if attribute.sub == "value":
                return value  # manager sent as a bare id
            raise invalid_value(f"{attribute.name} must be an object.")
        return ci_get(value, attribute.sub)

    def from_dict(self, d: dict) -> None:
        """Stage every attribute of a full User resource (POST and PUT replace them all)."""
        self.validate_dict(d)
        for attribute in self.catalogue.attributes:
            if not attribute.writable or not (attribute.field or attribute.stage):
                continue
            value = self._locate(d, attribute)
            if value is None and attribute.keep_when_absent and self.obj.pk is not None:
                continue
            self._stage(attribute, attribute.default if value is None else value)
        self._note_not_kept(d)

    def _note_not_kept(self, d: dict) -> None:
        """Warn about each attribute of a full resource that Alexis does not keep."""
        for key, value in d.items():
            if not isinstance(key, str) or key.lower() in READ_ONLY:
                continue
            if key.lower().startswith("urn:") and isinstance(value, dict):
                # An extension object: the enterprise one, or one Alexis does not define.
                for name, item in value.items():
                    if self.catalogue.get(key, str(name)) is None:
                        self._ignore(f"{key}:{name}", item)
            elif (attribute := self.catalogue.get(None, key)) is None:
                self._ignore(key, value)
            elif attribute.element_type and work_element(value, attribute) is None:
                self._ignore(key, value)  # only elements of types Alexis does not keep

    # -- PATCH ----------------------------------------------------------------------------------

    def handle_operations(self, body_operations: Any) -> None:
        """Apply PATCH operations (RFC 7644 §3.5.2) all at once; any bad one rejects them all."""
        schemas = {s.id.lower(): s.id for s in self.catalogue.schemas}
        for op, path, value in operations(body_operations):
            for target in targets(op, path, value):
                schema = schema_named(target.path, schemas)
                if schema is None:
                    self._apply(target)
                elif op == "remove":
                    for attribute in self.catalogue.top_level(schema):
                        self._apply(Target(op, AttrPath(attribute.name, uri=schema), None, ""))
                elif isinstance(target.value, dict):
                    for key, item in target.value.items():
                        sub_path = targets(op, f"{schema}:{key}", item)
                        for sub_target in sub_path:
                            self._apply(Target(op, sub_target.path, item, sub_target.text, True))
                else:
                    raise invalid_value(f"{schema} must be an object.")
        self.save()

    def _apply(self, target: Target) -> None:
        """Stage one operation on one attribute, or ignore one Alexis does not keep."""
        attr_path, value_filter, sub = target.parts
        value = None if target.op == "remove" else target.value
        schema = self.catalogue.schema_of(attr_path.uri, attr_path.attr)
        if schema is None:  # an extension Alexis does not define: note each attribute sent
            if isinstance(value, dict) and value_filter is None and attr_path.sub_attr is None:
                for key, item in value.items():
                    self._ignore(f"{target.text}:{key}", item)
                return None
            return self._ignore(target.text, value)
        if attr_path.attr.lower() in READ_ONLY and schema == CORE_USER and value_filter is None:
            if target.pathless:
                return None
            raise ScimError(400, f"{attr_path.attr} is read-only.", "mutability")
        parent = self.catalogue.get(schema, attr_path.attr)
        if parent is not None and parent.patch is not None:
            return parent.patch(self, target.op, value_filter, sub, value)
        attribute = self.catalogue.get(schema, attr_path.attr, sub) if sub else parent
        if attribute is None:
            if rfc_defines(schema, attr_path.attr, sub) or any(
                s.open and s.id == schema for s in self.catalogue.schemas
            ):
                return self._ignore(target.text, value)
            raise invalid_path(f"Unknown attribute path {target.text!r}.")
        if not parent.writable:
            return None  # readOnly (groups, name.formatted): ignored, RFC 7644 §3.5.2
        if value_filter is not None and not parent.multi_valued:
            value_filter = None  # one value only: Entra's manager[value eq "..."] names it
        if value_filter is not None:
            if not parent.element_type:
                raise invalid_path(f"Unknown attribute path {target.text!r}.")
            if not ElementMatcher(self._current_element(parent)).visit(value_filter):
                # Another type (home, mobile...) or a value Alexis does not hold.
                return self._ignore(target.text, value)
            if sub is None and isinstance(value, dict):
                value = [value]
        if attribute is parent and self.catalogue.subs(parent):
            return self._apply_complex(parent, value, target)
        if attribute.writable and (attribute.field or attribute.stage):
            self._stage(attribute, value)
        return None

    def _apply_complex(self, parent: Attribute, value: Any, target: Target) -> None:
        """Stage an operation on a whole complex attribute (name, emails, manager...)."""
        subs = [s for s in self.catalogue.subs(parent) if s.writable and (s.field or s.stage)]
        if value is None:
            for sub in subs:
                self._stage(sub, None)
            return
        if parent.element_type:
            element = work_element(value, parent)
            if element is None:
                return self._ignore(target.text, value)  # only types Alexis does not keep
            value = element
        if not isinstance(value, dict):
            value_sub = self.catalogue.get(parent.schema, parent.name, "value")
            if value_sub is None:
                raise invalid_value(f"{parent.name} must be an object.")
            self._stage(value_sub, value)
            return
        for key, item in value.items():
            sub = self.catalogue.get(parent.schema, parent.name, str(key))
            if sub is None:
                if not rfc_defines(parent.schema, parent.name, str(key)):
                    raise invalid_path(f"Unknown attribute path '{parent.name}.{key}'.")
                self._ignore(f"{parent.name}.{key}", item)
            elif sub.writable and (sub.field or sub.stage):
                self._stage(sub, item)
        return None

    def _current_element(self, parent: Attribute) -> dict[str, Any]:
        """Return the element Alexis keeps of a multi-valued attribute, staged values first."""
        element: dict[str, Any] = {}
        for sub in self.catalogue.subs(parent):
            if sub.field in self.staged:
                element[sub.sub] = self.staged[sub.field]
            else:
                element[sub.sub] = sub.output(self.obj)
        element.setdefault("display", element.get("value"))
        return element

    # -- writes -----------------------------------------------------------------------------------

    def save(self) -> None:
        """Create or update the employee through employees.services with the staged values."""
        outcome = outcome_for(self.request)
        actor = self.actor()
        # Each SCIM write runs in a transaction rolled back whole on any error (writes.py):
        # the unique constraints check the user name and employee number of a valid record.
        with self.service_errors(self.catalogue.field_label):
            if self.obj.pk is None:
                employee = employee_create(actor=actor, unique_by_constraint=True, **self.staged)
                self.team_summaries = []  # a new employee belongs to no team yet
            else:
                # The views read the employee with employee_locked() in this transaction.
                employee = employee_update(
                    employee=self.obj,
                    actor=actor,
                    data=self.staged,
                    expected_version=self.expected_version,
                    already_locked=True,
                    unique_by_constraint=True,
                )
        self.obj = employee
        outcome.employee = employee
        outcome.resource_type = "User"
        outcome.resource_id = str(employee.public_id)
        # The outcome carries what the service recorded in the change history.
        outcome.changes = {
            k: v for k, v in employee.recorded_changes.items() if k not in PRESENTATION_FIELDS
        }

    def delete(self) -> None:
        """Soft-delete the employee (RFC 7644 §3.6): gone for SCIM, kept for HR."""
        with self.service_errors():
            employee = employee_delete(employee=self.obj, actor=self.actor(), already_locked=True)
        self.record_outcome(employee)
