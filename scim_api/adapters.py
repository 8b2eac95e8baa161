"""SCIM resources <-> Alexis: User <-> Employee (RFC 7643 §4.1, §4.3), Group <-> Team (§4.2).

The adapters stage changes from a POST/PUT body or PATCH operations (RFC 7644 §3.3, §3.5) and
apply them in save() through employees.services or teams.services, as the SCIM channel with
the request's access token.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from django_scim.adapters import SCIMGroup, SCIMUser

from employees.models import Channel, Employee
from employees.services import (
    Actor,
    VersionConflict,
    employee_create,
    employee_delete,
    employee_update,
)
from scim_api.errors import ScimError, bad_request, invalid_path, invalid_value
from scim_api.filters import (
    CORE_GROUP,
    CORE_USER,
    ENTERPRISE_USER,
    AttrRef,
    Compare,
    Logical,
    Node,
    matches_element,
    parse_attr_ref,
    parse_value_path,
    resolve_group_attribute,
    to_q,
)
from scim_api.outcome import outcome_for
from teams.models import Team
from teams.selectors import employee_team_summaries, team_member_summaries
from teams.services import team_create, team_delete, team_update

WORK_EMAIL = 'emails[type eq "work"].value'
WORK_PHONE = 'phoneNumbers[type eq "work"].value'

# Employee field -> the SCIM attribute named in error details.
ATTRIBUTE_OF_FIELD = {
    "user_name": "userName",
    "external_id": "externalId",
    "given_name": "name.givenName",
    "family_name": "name.familyName",
    "display_name": "displayName",
    "title": "title",
    "work_email": WORK_EMAIL,
    "work_phone": WORK_PHONE,
    "employee_number": f"{ENTERPRISE_USER}:employeeNumber",
    "department": f"{ENTERPRISE_USER}:department",
    "cost_center": f"{ENTERPRISE_USER}:costCenter",
    "division": f"{ENTERPRISE_USER}:division",
    "organization": f"{ENTERPRISE_USER}:organization",
    "manager": f"{ENTERPRISE_USER}:manager",
    "active": "active",
}

# Simple string attributes: (schema, lower-case name) -> (field, required).
STRING_ATTRIBUTES: dict[tuple[str | None, str], tuple[str, bool]] = {
    (None, "username"): ("user_name", True),
    (None, "externalid"): ("external_id", False),
    (None, "displayname"): ("display_name", False),
    (None, "title"): ("title", False),
    ("ent", "employeenumber"): ("employee_number", False),
    ("ent", "department"): ("department", False),
    ("ent", "costcenter"): ("cost_center", False),
    ("ent", "division"): ("division", False),
    ("ent", "organization"): ("organization", False),
}
NAME_PARTS = {"givenname": "given_name", "familyname": "family_name"}
ENTERPRISE_ATTRIBUTES = (
    "employeeNumber",
    "department",
    "costCenter",
    "division",
    "organization",
    "manager",
)
ENTERPRISE_NAMES = {name.lower() for name in ENTERPRISE_ATTRIBUTES}

# RFC 7643 attributes that Alexis does not keep: accepted on input and ignored.
IGNORED_CORE = {
    "nickname",
    "profileurl",
    "usertype",
    "preferredlanguage",
    "locale",
    "timezone",
    "password",
    "addresses",
    "ims",
    "photos",
    "roles",
    "entitlements",
    "x509certificates",
    "groups",
}
IGNORED_NAME_PARTS = {"formatted", "middlename", "honorificprefix", "honorificsuffix"}
READ_ONLY = {"id", "meta", "schemas"}
# Multi-valued attributes kept as one "work" element: lower-case name -> (field, label).
MULTI_VALUED = {"emails": ("work_email", WORK_EMAIL), "phonenumbers": ("work_phone", WORK_PHONE)}


def base_location(request=None, *args, **kwargs) -> str:
    """Return scheme://host of the request, so that meta.location uses the host Entra called."""
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    from django_scim.utils import default_base_scim_location_getter

    return default_base_scim_location_getter()


def scim_datetime(value: dt.datetime) -> str:
    """Format a timestamp as RFC 3339 in UTC with milliseconds (2026-01-31T12:00:00.000Z)."""
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def etag(obj: Employee | Team) -> str:
    """Return the weak entity tag of an employee's or team's current version (RFC 7644 §3.14)."""
    return f'W/"{obj.version}"'


def resource_meta(resource_type: str, obj: Employee | Team, location: str) -> dict[str, str]:
    """Return a resource's `meta` (RFC 7643 §3.1): times, location and version."""
    return {
        "resourceType": resource_type,
        "created": scim_datetime(obj.created_at),
        "lastModified": scim_datetime(obj.updated_at),
        "location": location,
        "version": etag(obj),
    }


def ci_get(mapping: dict, name: str, default: Any = None) -> Any:
    """Look a key up case-insensitively (SCIM attribute names are case-insensitive)."""
    if name in mapping:
        return mapping[name]
    lowered = name.lower()
    for key, value in mapping.items():
        if isinstance(key, str) and key.lower() == lowered:
            return value
    return default


def _string(value: Any, attribute: str, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise invalid_value(f"{attribute} must be a string.")
    if "\x00" in value:
        raise invalid_value(f"{attribute} must not contain NUL characters.")
    if required and not value:
        raise invalid_value(f"{attribute} is required.")
    return value


def _boolean(value: Any, attribute: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise invalid_value(f"{attribute} must be true or false.")


def _work_element(value: Any, label: str) -> dict | None:
    """Pick the work element of a multi-valued attribute (or the one without a type)."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise invalid_value(f"{label.split('[')[0]} must be a list of objects.")
    untyped = None
    for element in value:
        kind = ci_get(element, "type")
        if isinstance(kind, str) and kind.lower() == "work":
            return element
        if kind in (None, "") and untyped is None:
            untyped = element
    return untyped


def validation_error_to_scim(exc: ValidationError) -> ScimError:
    """Translate a service ValidationError into a SCIM error naming the attribute.

    A value another employee already holds (code "unique") is a 409 uniqueness; anything
    else is a 400 invalidValue.
    """
    if not hasattr(exc, "error_dict"):
        return invalid_value(exc.messages[0])
    for field, errors in exc.error_dict.items():
        for error in errors:
            if error.code == "unique":
                name = ATTRIBUTE_OF_FIELD.get(field, field)
                return ScimError(409, f"{name}: {error.messages[0]}", "uniqueness")
    field, errors = next(iter(exc.error_dict.items()))
    name = ATTRIBUTE_OF_FIELD.get(field, "The resource") if field != NON_FIELD_ERRORS else None
    message = errors[0].messages[0]
    return invalid_value(f"{name}: {message}" if name else message)


class EmployeeAdapter(SCIMUser):
    """django-scim2 adapter presenting an Employee as a SCIM User with the enterprise extension."""

    id_field = "public_id"
    url_name = "scim:users"
    resource_type = "User"

    def __init__(self, obj: Employee, request=None, groups: list[dict] | None = None) -> None:
        super().__init__(obj, request)
        self.team_summaries = groups
        self.staged: dict[str, Any] = {}
        self.expected_version: int | None = None

    # -- output -------------------------------------------------------------------------------

    @property
    def id(self) -> str:
        return str(self.obj.public_id)

    def users_url(self) -> str:
        """Return the absolute URL of the Users endpoint (cached per request)."""
        return resource_url(self.request, "scim:users")

    @property
    def location(self) -> str:
        return f"{self.users_url()}/{self.id}"

    def load_groups(self) -> list[dict]:
        """Return the employee's teams (RFC 7643 §4.1.2 groups), one query when not preloaded."""
        if self.team_summaries is None:
            pk = self.obj.pk
            self.team_summaries = employee_team_summaries(employee_ids=[pk])[pk] if pk else []
        return self.team_summaries

    def to_dict(self) -> dict[str, Any]:
        """Return the User resource; empty attributes are left out, never sent as null."""
        e = self.obj
        d: dict[str, Any] = {"schemas": [CORE_USER], "id": self.id}
        if e.external_id:
            d["externalId"] = e.external_id
        d["userName"] = e.user_name
        name = {}
        if e.given_name:
            name["givenName"] = e.given_name
        if e.family_name:
            name["familyName"] = e.family_name
        if e.full_name:
            name["formatted"] = e.full_name
        if name:
            d["name"] = name
        if e.display_name:
            d["displayName"] = e.display_name
        if e.title:
            d["title"] = e.title
        d["active"] = e.active
        if e.work_email:
            d["emails"] = [{"value": e.work_email, "type": "work", "primary": True}]
        if e.work_phone:
            d["phoneNumbers"] = [{"value": e.work_phone, "type": "work"}]
        enterprise = {
            key: getattr(e, field)
            for key, field in (
                ("employeeNumber", "employee_number"),
                ("department", "department"),
                ("costCenter", "cost_center"),
                ("division", "division"),
                ("organization", "organization"),
            )
            if getattr(e, field)
        }
        if e.manager_id is not None:
            manager = e.manager
            manager_id = str(manager.public_id)
            enterprise["manager"] = {
                "value": manager_id,
                "$ref": f"{self.users_url()}/{manager_id}",
                "displayName": manager.display_name or manager.full_name or manager.user_name,
            }
        groups = self.load_groups()
        if groups:
            groups_url = resource_url(self.request, "scim:groups")
            d["groups"] = [
                {
                    "value": str(group["public_id"]),
                    "$ref": f"{groups_url}/{group['public_id']}",
                    "display": group["name"],
                    "type": "direct",
                }
                for group in groups
            ]
        if enterprise:
            d["schemas"].append(ENTERPRISE_USER)
            d[ENTERPRISE_USER] = enterprise
        d["meta"] = resource_meta("User", e, self.location)
        return d

    # -- POST and PUT ---------------------------------------------------------------------------

    def validate_dict(self, d: Any) -> None:
        """Check the body is a JSON object; attribute checks happen while reading it."""
        if not isinstance(d, dict):
            raise bad_request("The request body must be a JSON object.", "invalidSyntax")

    def from_dict(self, d: dict) -> None:
        """Stage every attribute of a full User resource (POST and PUT replace them all)."""
        self.validate_dict(d)
        staged: dict[str, Any] = {}
        staged["user_name"] = _string(ci_get(d, "userName"), "userName", required=True)
        staged["external_id"] = _string(ci_get(d, "externalId"), "externalId")
        name = ci_get(d, "name")
        if name is None:
            name = {}
        if not isinstance(name, dict):
            raise invalid_value("name must be an object.")
        staged["given_name"] = _string(ci_get(name, "givenName"), "name.givenName", required=True)
        staged["family_name"] = _string(
            ci_get(name, "familyName"), "name.familyName", required=True
        )
        staged["display_name"] = _string(ci_get(d, "displayName"), "displayName")
        staged["title"] = _string(ci_get(d, "title"), "title")
        email = _work_element(ci_get(d, "emails"), WORK_EMAIL)
        staged["work_email"] = _string(
            ci_get(email, "value") if email else None, WORK_EMAIL, required=True
        )
        phone = _work_element(ci_get(d, "phoneNumbers"), WORK_PHONE)
        staged["work_phone"] = _string(ci_get(phone, "value") if phone else None, WORK_PHONE)
        enterprise = ci_get(d, ENTERPRISE_USER)
        if enterprise is None:
            enterprise = {}
        if not isinstance(enterprise, dict):
            raise invalid_value(f"{ENTERPRISE_USER} must be an object.")
        for (schema, key), (field, _) in STRING_ATTRIBUTES.items():
            if schema != "ent":
                continue
            value = ci_get(enterprise, key)
            if value is None:
                value = ci_get(d, key)  # tolerated without the extension object
            staged[field] = _string(value, ATTRIBUTE_OF_FIELD[field])
        manager = ci_get(enterprise, "manager")
        if manager is None:
            manager = ci_get(d, "manager")
        staged["manager"] = self._resolve_manager(manager)
        active = ci_get(d, "active")
        if active is not None:
            staged["active"] = _boolean(active, "active")
        elif self.obj.pk is None:
            staged["active"] = True
        self.staged = staged

    # -- PATCH ----------------------------------------------------------------------------------

    def handle_operations(self, operations: Any) -> None:
        """Apply PATCH operations (RFC 7644 §3.5.2) all at once; any bad one rejects them all."""
        if not isinstance(operations, list) or not operations:
            raise bad_request("Operations must be a non-empty list.", "invalidSyntax")
        for operation in operations:
            if not isinstance(operation, dict):
                raise bad_request("Each operation must be an object.", "invalidSyntax")
            op = ci_get(operation, "op")
            if not isinstance(op, str) or op.lower() not in ("add", "replace", "remove"):
                raise bad_request(
                    "Each operation needs an op of add, replace or remove.", "invalidSyntax"
                )
            op = op.lower()
            path = ci_get(operation, "path")
            if path is not None and not isinstance(path, str):
                raise invalid_path("path must be a string.")
            value = ci_get(operation, "value")
            for target, target_value in self.parse_path_and_values(path or None, value, op):
                self.handle_path_and_value(target, target_value, {"op": op})
        self.save()

    def parse_path_and_values(
        self, path: str | None, value: Any, op: str = "replace"
    ) -> list[tuple[tuple[AttrRef, Node | None, str | None, bool], Any]]:
        """Expand an operation into (target, value) pairs; path-less values name their targets."""
        if path and path.lower() == ENTERPRISE_USER.lower():
            # The whole extension: its sub-attributes are the targets (RFC 7644 §3.5.2.1).
            if op == "remove":
                value = dict.fromkeys(ENTERPRISE_ATTRIBUTES)
            if not isinstance(value, dict):
                raise invalid_value(f"{ENTERPRISE_USER} must be an object.")
            return [
                ((parse_attr_ref(f"{ENTERPRISE_USER}:{key}"), None, None, True), item)
                for key, item in value.items()
            ]
        if path:
            return [((*parse_value_path(path), False), value)]
        if op == "remove":
            raise bad_request("A remove operation needs a path.", "noTarget")
        if not isinstance(value, dict):
            raise invalid_value("An operation without a path needs an object value.")
        targets = []
        for key, item in value.items():
            if not isinstance(key, str):
                raise invalid_path("Attribute names must be strings.")
            if key.lower() == ENTERPRISE_USER.lower():
                if not isinstance(item, dict):
                    raise invalid_value(f"{ENTERPRISE_USER} must be an object.")
                for sub_key, sub_item in item.items():
                    ref = parse_attr_ref(f"{ENTERPRISE_USER}:{sub_key}")
                    targets.append(((ref, None, None, True), sub_item))
            else:
                targets.append(((*parse_value_path(key), True), item))
        return targets

    def handle_path_and_value(self, path, value, operation) -> None:
        target_ref, value_filter, sub, pathless = path
        self._apply(target_ref, value_filter, sub, value, operation["op"], pathless=pathless)

    def handle_add(self, path, value, operation) -> None:
        self.handle_path_and_value(path, value, {"op": "add"})

    def handle_replace(self, path, value, operation) -> None:
        self.handle_path_and_value(path, value, {"op": "replace"})

    def handle_remove(self, path, value, operation) -> None:
        self.handle_path_and_value(path, value, {"op": "remove"})

    def _current(self, field: str) -> Any:
        return self.staged[field] if field in self.staged else getattr(self.obj, field)

    def _apply(
        self,
        ref: AttrRef,
        value_filter: Node | None,
        sub: str | None,
        value: Any,
        op: str,
        *,
        pathless: bool,
    ) -> None:
        """Stage one operation on one attribute."""
        uri = ref.uri.lower() if ref.uri else None
        attr = ref.attr.lower()
        if uri not in (None, CORE_USER.lower(), ENTERPRISE_USER.lower()):
            raise invalid_path(f"Unknown attribute path {str(ref)!r}.")
        schema = (
            "ent"
            if uri == ENTERPRISE_USER.lower() or (uri is None and attr in ENTERPRISE_NAMES)
            else None
        )
        if ref.sub is not None:
            if value_filter is not None:
                raise invalid_path(f"Invalid path {str(ref)!r}.")
            sub = ref.sub
        remove = op == "remove"

        if attr in READ_ONLY and value_filter is None:
            if pathless:
                return
            raise ScimError(400, f"{ref.attr} is read-only.", "mutability")
        if schema is None and attr in IGNORED_CORE:
            return
        if (schema, attr) in STRING_ATTRIBUTES and sub is None and value_filter is None:
            field, required = STRING_ATTRIBUTES[(schema, attr)]
            label = ATTRIBUTE_OF_FIELD[field]
            if remove:
                value = None
            self.staged[field] = _string(value, label, required=required)
            return
        if schema is None and attr == "name" and value_filter is None:
            if sub is None:
                if remove:
                    raise invalid_value("name.givenName and name.familyName are required.")
                if not isinstance(value, dict):
                    raise invalid_value("name must be an object.")
                for key, item in value.items():
                    self._apply(
                        AttrRef(None, "name", str(key)), None, None, item, op, pathless=pathless
                    )
                return
            part = sub.lower()
            if part in IGNORED_NAME_PARTS:
                return
            if part not in NAME_PARTS:
                raise invalid_path(f"Unknown attribute path 'name.{sub}'.")
            field = NAME_PARTS[part]
            self.staged[field] = _string(
                None if remove else value, ATTRIBUTE_OF_FIELD[field], required=True
            )
            return
        if schema is None and attr == "active" and sub is None and value_filter is None:
            if remove:
                raise invalid_value("active cannot be removed; set it to false instead.")
            self.staged["active"] = _boolean(value, "active")
            return
        if schema is None and attr in MULTI_VALUED:
            self._apply_multi_valued(attr, value_filter, sub, value, remove)
            return
        if schema == "ent" and attr == "manager":
            if sub is not None and sub.lower() != "value":
                raise invalid_path(f"Unknown attribute path 'manager.{sub}'.")
            self.staged["manager"] = None if remove else self._resolve_manager(value)
            return
        raise invalid_path(f"Unknown attribute path {str(ref)!r}.")

    def _apply_multi_valued(
        self, attr: str, value_filter: Node | None, sub: str | None, value: Any, remove: bool
    ) -> None:
        """Stage an operation on emails or phoneNumbers, of which Alexis keeps the work one."""
        field, label = MULTI_VALUED[attr]
        required = field == "work_email"
        if value_filter is not None:
            current = self._current(field)
            element = {"type": "work", "value": current, "primary": True, "display": current}
            if not matches_element(value_filter, element):
                # Another type (home, mobile...) or a value we do not hold: nothing we keep.
                return
        if sub is not None:
            part = sub.lower()
            if part in ("type", "primary", "display"):
                return
            if part != "value":
                raise invalid_path(f"Unknown attribute path '{attr}.{sub}'.")
            self.staged[field] = _string(None if remove else value, label, required=required)
            return
        if remove:
            self.staged[field] = _string(None, label, required=required)
            return
        if value_filter is not None and isinstance(value, dict):
            element_value = ci_get(value, "value")
        else:
            element = _work_element(value, label)
            if element is None:
                return  # only other types were given: nothing Alexis keeps changes
            element_value = ci_get(element, "value")
        self.staged[field] = _string(element_value, label, required=required)

    def _resolve_manager(self, value: Any) -> Employee | None:
        """Return the manager named by a SCIM id in any shape Entra sends, or None to clear."""
        if isinstance(value, list):
            if len(value) > 1:
                raise invalid_value("manager takes a single value.")
            value = value[0] if value else None
        if isinstance(value, dict):
            value = ci_get(value, "value")
        if value in (None, ""):
            return None
        if not isinstance(value, str):
            raise invalid_value("manager must be the id of an existing user.")
        try:
            key = uuid.UUID(value)
        except ValueError:
            key = None
        manager = None
        if key is not None:
            manager = next(
                iter(
                    Employee.objects.filter(public_id=key, deleted_at__isnull=True).order_by()[:1]
                ),
                None,
            )
        if manager is None:
            raise invalid_value(f"manager: no user with id {value!r} exists.")
        return manager

    # -- writes -----------------------------------------------------------------------------------

    def _actor(self) -> Actor:
        return Actor(channel=Channel.SCIM, token=outcome_for(self.request).token)

    def save(self) -> None:
        """Create or update the employee through employees.services with the staged values."""
        outcome = outcome_for(self.request)
        actor = self._actor()
        try:
            if self.obj.pk is None:
                employee = employee_create(actor=actor, **self.staged)
                self.team_summaries = []  # a new employee belongs to no team yet
            else:
                # The views read the employee with employee_locked() in this transaction.
                employee = employee_update(
                    employee=self.obj,
                    actor=actor,
                    data=self.staged,
                    expected_version=self.expected_version,
                    already_locked=True,
                )
        except ValidationError as exc:
            raise validation_error_to_scim(exc) from None
        except VersionConflict:
            raise ScimError(412, "The user changed since it was read (If-Match failed).") from None
        except Employee.DoesNotExist:
            raise ScimError(404, f"Resource {self.id} not found.") from None
        self.obj = employee
        outcome.employee = employee
        outcome.resource_type = "User"
        outcome.resource_id = str(employee.public_id)
        outcome.changes = employee.recorded_changes

    def delete(self) -> None:
        """Soft-delete the employee (RFC 7644 §3.6): gone for SCIM, kept for HR."""
        outcome = outcome_for(self.request)
        try:
            employee = employee_delete(employee=self.obj, actor=self._actor(), already_locked=True)
        except Employee.DoesNotExist:
            raise ScimError(404, f"Resource {self.id} not found.") from None
        outcome.employee = employee
        outcome.resource_type = "User"
        outcome.resource_id = self.id
        outcome.changes = employee.recorded_changes


# ---------------------------------------------------------------------------------------------
# The SCIM Group resource <-> Team (RFC 7643 §4.2)

TEAM_DUPLICATE = "A team with this name already exists."
TEAM_ATTRIBUTE_OF_FIELD = {
    "display_name": "displayName",
    "external_id": "externalId",
    "members": "members",
}


def resource_url(request, url_name: str) -> str:
    """Return the absolute URL of a SCIM endpoint (cached per request)."""
    cache = getattr(request, "_scim_urls", None)
    if cache is None:
        cache = request._scim_urls = {}
    if url_name not in cache:
        cache[url_name] = base_location(request) + reverse(url_name)
    return cache[url_name]


def team_error_to_scim(exc: ValidationError) -> ScimError:
    """Translate a teams.services ValidationError into a SCIM error naming the attribute."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    if any(TEAM_DUPLICATE in messages for messages in errors.values()):
        return ScimError(409, f"displayName: {TEAM_DUPLICATE}", "uniqueness")
    field, messages = next(iter(errors.items()))
    name = TEAM_ATTRIBUTE_OF_FIELD.get(field)
    return invalid_value(f"{name}: {messages[0]}" if name else messages[0])


def _member_id(element: Any) -> str:
    """Return the employee id of one members element ({"value": id, ...} or a bare id)."""
    if isinstance(element, dict):
        element = ci_get(element, "value")
    if not isinstance(element, str) or not element.strip() or "\x00" in element:
        raise invalid_value("members: each member needs a value with a user id.")
    return element.strip().lower()


def _member_ids(value: Any) -> list[str]:
    """Return the employee ids of a members value: a list of elements, or a single one."""
    if value is None:
        return []
    if not isinstance(value, list):
        value = [value]
    ids = [_member_id(element) for element in value]
    return list(dict.fromkeys(ids))


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

    @property
    def empty(self) -> bool:
        return self.set_ids is None and not self.add_ids and not self.remove_ids


class TeamAdapter(SCIMGroup):
    """django-scim2 adapter presenting a Team as a SCIM Group whose members are Users."""

    id_field = "public_id"
    url_name = "scim:groups"
    resource_type = "Group"

    def __init__(self, obj: Team, request=None, members: list[dict] | None = None) -> None:
        super().__init__(obj, request)
        self.member_summaries = members
        self.staged: dict[str, Any] = {}
        self.member_changes = MemberChanges()
        self.expected_version: int | None = None

    # -- output -------------------------------------------------------------------------------

    @property
    def id(self) -> str:
        return str(self.obj.public_id)

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
        t = self.obj
        d: dict[str, Any] = {"schemas": [CORE_GROUP], "id": self.id}
        if t.external_id:
            d["externalId"] = t.external_id
        d["displayName"] = t.display_name
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
        d["meta"] = resource_meta("Group", t, self.location)
        return d

    # -- POST and PUT ---------------------------------------------------------------------------

    def from_dict(self, d: Any) -> None:
        """Stage a full Group resource (POST creates it, PUT replaces every attribute)."""
        if not isinstance(d, dict):
            raise bad_request("The request body must be a JSON object.", "invalidSyntax")
        self.staged = {
            "display_name": _string(ci_get(d, "displayName"), "displayName", required=True),
            "external_id": _string(ci_get(d, "externalId"), "externalId"),
        }
        self.member_changes.replace(_member_ids(ci_get(d, "members")))

    # -- PATCH ----------------------------------------------------------------------------------

    def handle_operations(self, operations: Any) -> None:
        """Collect PATCH operations (RFC 7644 §3.5.2) in every shape Entra sends; apply once."""
        if not isinstance(operations, list) or not operations:
            raise bad_request("Operations must be a non-empty list.", "invalidSyntax")
        for operation in operations:
            if not isinstance(operation, dict):
                raise bad_request("Each operation must be an object.", "invalidSyntax")
            op = ci_get(operation, "op")
            if not isinstance(op, str) or op.lower() not in ("add", "replace", "remove"):
                raise bad_request(
                    "Each operation needs an op of add, replace or remove.", "invalidSyntax"
                )
            path = ci_get(operation, "path")
            if path is not None and not isinstance(path, str):
                raise invalid_path("path must be a string.")
            value = ci_get(operation, "value")
            if path and path.strip():
                self._apply_path(op.lower(), path.strip(), value)
            elif op.lower() == "remove":
                raise bad_request("A remove operation needs a path.", "noTarget")
            else:
                if not isinstance(value, dict):
                    raise invalid_value("An operation without a path needs an object value.")
                for key, item in value.items():
                    if not isinstance(key, str):
                        raise invalid_path("Attribute names must be strings.")
                    self._apply_path(op.lower(), key, item, pathless=True)
        self.save()

    def _apply_path(self, op: str, path: str, value: Any, *, pathless: bool = False) -> None:
        ref, value_filter, sub = parse_value_path(path)
        uri = ref.uri.lower() if ref.uri else None
        if uri not in (None, CORE_GROUP.lower()):
            raise invalid_path(f"Unknown attribute path {path!r}.")
        attr = ref.attr.lower()
        sub = sub or ref.sub
        if attr in READ_ONLY and value_filter is None:
            if pathless:
                return
            raise ScimError(400, f"{ref.attr} is read-only.", "mutability")
        if attr == "members":
            self._apply_members(op, value_filter, sub, value)
            return
        if value_filter is not None or sub is not None:
            raise invalid_path(f"Unknown attribute path {path!r}.")
        if attr == "displayname":
            if op == "remove":
                raise invalid_value("displayName is required.")
            self.staged["display_name"] = _string(value, "displayName", required=True)
            return
        if attr == "externalid":
            self.staged["external_id"] = _string(None if op == "remove" else value, "externalId")
            return
        raise invalid_path(f"Unknown attribute path {path!r}.")

    def _apply_members(self, op: str, value_filter: Node | None, sub: str | None, value: Any):
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

    def _matching_members(self, value_filter: Node) -> list[str]:
        """Return the ids that a members[...] filter selects; `value eq "id"` needs no read."""
        ids = _value_eq_ids(value_filter)
        if ids is not None:
            return ids
        # Refuse unknown sub-attributes (400 invalidFilter) before reading any member.
        to_q(value_filter, resolve_group_attribute, AttrRef(None, "members"))
        return [
            str(member["public_id"])
            for member in self.load_members()
            if matches_element(
                value_filter,
                {"value": str(member["public_id"]), "display": member["name"], "type": "User"},
            )
        ]

    # -- writes -----------------------------------------------------------------------------------

    def _actor(self) -> Actor:
        return Actor(channel=Channel.SCIM, token=outcome_for(self.request).token)

    def save(self) -> None:
        """Create or update the team through teams.services, all changes at once."""
        outcome = outcome_for(self.request)
        changes = self.member_changes
        try:
            if self.obj.pk is None:
                team = team_create(
                    actor=self._actor(),
                    display_name=self.staged["display_name"],
                    external_id=self.staged["external_id"],
                    member_ids=list(changes.set_ids or ()),
                )
            else:
                team = team_update(
                    team=self.obj,
                    actor=self._actor(),
                    data=self.staged,
                    set_member_ids=None if changes.set_ids is None else list(changes.set_ids),
                    add_member_ids=list(changes.add_ids),
                    remove_member_ids=list(changes.remove_ids),
                    expected_version=self.expected_version,
                )
        except ValidationError as exc:
            raise team_error_to_scim(exc) from None
        except VersionConflict:
            raise ScimError(412, "The group changed since it was read (If-Match failed).") from None
        except Team.DoesNotExist:
            raise ScimError(404, f"Resource {self.id} not found.") from None
        self.obj = team
        self.member_summaries = None
        outcome.team = team
        outcome.resource_type = "Group"
        outcome.resource_id = str(team.public_id)
        outcome.changes = team.recorded_changes

    def delete(self) -> None:
        """Soft-delete the team (RFC 7644 §3.6): gone for SCIM, kept with its history."""
        outcome = outcome_for(self.request)
        try:
            team = team_delete(team=self.obj, actor=self._actor())
        except Team.DoesNotExist:
            raise ScimError(404, f"Resource {self.id} not found.") from None
        outcome.team = team
        outcome.resource_type = "Group"
        outcome.resource_id = self.id
        outcome.changes = team.recorded_changes


def _value_eq_ids(node: Node) -> list[str] | None:
    """Return the ids of a `value eq "id" [or value eq "id2"...]` filter, else None."""
    if isinstance(node, Logical) and node.op == "or":
        left, right = _value_eq_ids(node.left), _value_eq_ids(node.right)
        return None if left is None or right is None else left + right
    if (
        isinstance(node, Compare)
        and node.op == "eq"
        and node.path.uri is None
        and node.path.sub is None
        and node.path.attr.lower() == "value"
        and isinstance(node.value, str)
    ):
        return [node.value.strip().lower()]
    return None
