"""The catalogue of SCIM attributes Alexis serves: one entry per attribute, read by everything.

Filters and sorting (filters.py, listing.py), PATCH paths (patch.py), reading and writing a
resource (users.py, groups.py), error details and /Schemas (discovery.py) all look attributes
up here. Adding an attribute is one `Attribute` entry plus its model field.

An entry names a SCIM attribute (`name`, optional `sub`, its `schema`), the model field that
holds it, how filters compare it (`kind`), the RFC 7643 §7 characteristics published in
/Schemas and enforced on writes, and how a value is parsed (`parse`: SCIM value -> model
value, raising a SCIM error that names `label`) and formatted (`format`: model -> SCIM).

Extension point (custom fields, roles): `user_catalogue(request)` adds the attributes that
every registered provider yields to the built-in ones. A provider is a function
`provider(request) -> Iterable[Attribute | Schema]` registered with
`register_user_attributes(provider)` (typically in an AppConfig.ready()). It may read the
database: the catalogue is built once per request and kept on it. A provider's `Schema`
entries add extension schemas to /Schemas and /ResourceTypes; its attributes belong to them
(or to the core schema, e.g. `roles`). For an attribute stored outside a plain model field
give `read` (employee -> model value) and pick a `field` key that employees.services accepts
in `data`; `orm` is the ORM path filters and sorting use (e.g. a JSONField key lookup).
An attribute whose writes need more than a field (`roles` granting access) gives `stage`:
`stage(adapter, value)` is called with the parsed value instead of staging `field`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import phonenumbers
from scim2_models import EnterpriseUser, Group, User

from scim_api.errors import invalid_value

if TYPE_CHECKING:
    from django.http import HttpRequest

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"

# ---------------------------------------------------------------------------------------------
# Parsing and formatting values


def parse_string(value: Any, attribute: Attribute) -> str:
    """Return a text value ("" for null); refuse other JSON types, NUL and a missing required."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise invalid_value(f"{attribute.label} must be a string.")
    if "\x00" in value:
        raise invalid_value(f"{attribute.label} must not contain NUL characters.")
    if attribute.required and not value:
        raise invalid_value(f"{attribute.label} is required.")
    return value


def parse_boolean(value: Any, attribute: Attribute) -> bool | None:
    """Return true or false, also from Entra's "True"/"False" strings; null stays None."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise invalid_value(f"{attribute.label} must be true or false.")


def phone_region() -> str | None:
    """Return the region assumed for a phone number written without a country code."""
    from django.conf import settings

    return getattr(settings, "SCIM_PHONE_DEFAULT_REGION", None) or None


def parse_phone(value: Any, attribute: Attribute) -> tuple[str, str]:
    """Return (E.164 form, the value as sent) of a phone number in any spelling phonenumbers
    reads as valid (+1 617 555 1212, +1-617-555-1212, tel:+1-617-555-1212).

    A number without a country code is refused unless a default region is set; a value
    phonenumbers cannot read is passed on unchanged for the employee's validator to refuse
    with its own message.
    """
    text = parse_string(value, attribute)
    if not text:
        return "", ""
    spelled = text[4:] if text[:4].lower() == "tel:" else text
    try:
        number = phonenumbers.parse(spelled, phone_region())
    except phonenumbers.NumberParseException:
        return text, ""
    if not phonenumbers.is_valid_number(number):
        return text, ""
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, "" if text == e164 else text


def format_uuid(value: Any) -> str | None:
    return str(value) if value is not None else None


def scim_datetime(value: dt.datetime) -> str:
    """Format a timestamp as RFC 3339 in UTC with milliseconds (2026-01-31T12:00:00.000Z)."""
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# ---------------------------------------------------------------------------------------------
# The catalogue entry


@dataclass(frozen=True)
class Attribute:
    """One SCIM attribute or sub-attribute and where Alexis keeps it (RFC 7643 §2, §7)."""

    name: str
    sub: str | None = None
    schema: str = CORE_USER
    type: str = "string"  # RFC 7643 §2.3: string, boolean, dateTime, reference, complex...
    description: str = ""
    # The model field staged and passed to the service ("" when nothing is stored).
    field: str = ""
    # The ORM path that filters and sorting use; defaults to `field`.
    orm: str = ""
    # How filters compare it: "ci" text (LOWER, served by indexes), "exact" text, "bool",
    # "datetime", "uuid", "const" (a fixed `constant`), "" (not filterable).
    kind: str = "ci"
    mutability: str = "readWrite"
    case_exact: bool = False
    uniqueness: str = "none"
    required: bool = False
    returned: str = "default"
    multi_valued: bool = False
    # A multi-valued attribute of which Alexis keeps one element: that element's `type`.
    element_type: str | None = None
    constant: Any = None
    canonical_values: tuple[str, ...] = ()
    reference_types: tuple[str, ...] = ()
    parse: Callable[[Any, Attribute], Any] = parse_string
    format: Callable[[Any], Any] | None = None
    read: Callable[[Any], Any] | None = None
    stage: Callable[[Any, Any], None] | None = None
    # Common attributes (meta.*) are filterable but not part of a schema's attribute list.
    listed: bool = True
    sortable: bool = True

    @property
    def orm_path(self) -> str:
        return self.orm or self.field

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.schema.lower(), self.name.lower(), self.sub.lower() if self.sub else None)

    @property
    def label(self) -> str:
        """The SCIM path named in error details (emails[type eq "work"].value)."""
        head = self.name
        if self.element_type and self.sub:
            head = f'{self.name}[type eq "{self.element_type}"]'
        path = f"{head}.{self.sub}" if self.sub else head
        return path if self.schema in (CORE_USER, CORE_GROUP) else f"{self.schema}:{path}"

    @property
    def writable(self) -> bool:
        return self.mutability in ("readWrite", "writeOnly", "immutable")

    def value_of(self, obj: Any) -> Any:
        """Return the model value of this attribute on `obj`."""
        if self.read is not None:
            return self.read(obj)
        return getattr(obj, self.field) if self.field else self.constant

    def output(self, obj: Any) -> Any:
        """Return the SCIM value of this attribute on `obj` (None or "" when absent)."""
        value = self.value_of(obj)
        return self.format(value) if self.format is not None and value is not None else value


@dataclass(frozen=True)
class Schema:
    """A schema served in /Schemas (RFC 7643 §7); extensions also appear in /ResourceTypes."""

    id: str
    name: str
    description: str
    extension: bool = True


@dataclass
class Catalogue:
    """The attributes of one resource type, looked up by (schema, name, sub) case-insensitively."""

    core: str
    schemas: list[Schema]
    attributes: list[Attribute]
    by_key: dict[tuple[str, str, str | None], Attribute] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_key = {a.key: a for a in self.attributes}
        self.extension_ids = {s.id.lower(): s.id for s in self.schemas if s.extension}

    def schema_of(self, uri: str | None, name: str) -> str | None:
        """Return the schema an attribute path refers to, or None when no schema is known.

        Without a URN a name is looked up in the core schema, then in the extensions (Entra
        writes `department` for the enterprise one).
        """
        if uri is None:
            if (self.core.lower(), name.lower(), None) in self.by_key:
                return self.core
            for ext in self.extension_ids.values():
                if (ext.lower(), name.lower(), None) in self.by_key:
                    return ext
            return self.core
        lowered = uri.lower()
        if lowered == self.core.lower():
            return self.core
        return self.extension_ids.get(lowered)

    def get(self, uri: str | None, name: str, sub: str | None = None) -> Attribute | None:
        schema = self.schema_of(uri, name)
        if schema is None:
            return None
        return self.by_key.get((schema.lower(), name.lower(), sub.lower() if sub else None))

    def subs(self, parent: Attribute) -> list[Attribute]:
        """Return the sub-attributes of a complex attribute, in catalogue order."""
        return [
            a
            for a in self.attributes
            if a.sub is not None and a.schema == parent.schema and a.name == parent.name
        ]

    def top_level(self, schema: str) -> Iterator[Attribute]:
        return (a for a in self.attributes if a.sub is None and a.schema == schema)

    def field_label(self, model_field: str) -> str | None:
        """Return the SCIM attribute naming a model field in error details."""
        for attribute in self.attributes:
            if attribute.field == model_field and attribute.writable:
                return attribute.label
        return None


# ---------------------------------------------------------------------------------------------
# What RFC 7643 defines (from scim2-models), for attributes Alexis accepts and does not keep


def _aliases(model) -> dict[str, Any]:
    return {
        (f.serialization_alias or f.alias or n).lower(): f for n, f in model.model_fields.items()
    }


_RFC_SCHEMAS = {
    CORE_USER.lower(): User,
    ENTERPRISE_USER.lower(): EnterpriseUser,
    CORE_GROUP.lower(): Group,
}


def rfc_defines(schema: str, name: str, sub: str | None = None) -> bool:
    """Whether RFC 7643 defines the attribute in a core or enterprise schema (nickName...)."""
    model = _RFC_SCHEMAS.get(schema.lower())
    if model is None:
        return False
    found = _aliases(model).get(name.lower())
    if found is None:
        return False
    if sub is None:
        return True
    annotation = found.annotation
    for inner in getattr(annotation, "__args__", (annotation,)):
        inner = getattr(inner, "__args__", (inner,))[0]
        if hasattr(inner, "model_fields") and sub.lower() in _aliases(inner):
            return True
    return False


# ---------------------------------------------------------------------------------------------
# The User resource (RFC 7643 §4.1) with the enterprise extension (§4.3)


def _manager_display(manager: Any) -> str | None:
    if manager is None:
        return None
    return manager.display_name or manager.full_name or manager.user_name


def _phone_as_sent(employee: Any) -> str:
    """The work phone as the client sent it, while it is still the number Alexis holds."""
    sent = getattr(employee, "work_phone_as_sent", "")
    if sent and employee.work_phone:
        try:
            number = phonenumbers.parse(sent[4:] if sent[:4].lower() == "tel:" else sent, None)
            same = (
                phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                == employee.work_phone
            )
        except phonenumbers.NumberParseException:
            same = False
        if same:
            return sent
    return employee.work_phone


def parse_manager(value: Any, attribute: Attribute) -> Any:
    """Return the manager named by a SCIM id in any shape Entra sends, or None to clear."""
    from employees.models import Employee
    from scim_api.patch import ci_get

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
        manager = Employee.objects.filter(public_id=key, deleted_at__isnull=True).order_by().first()
    if manager is None:
        raise invalid_value(f"manager: no user with id {value!r} exists.")
    return manager


USER_ATTRIBUTES = [
    Attribute(
        "id",
        description="Identifier assigned by Alexis.",
        field="public_id",
        kind="uuid",
        format=format_uuid,
        case_exact=True,
        mutability="readOnly",
        returned="always",
        uniqueness="server",
    ),
    Attribute(
        "externalId",
        description="Identifier in the identity provider.",
        field="external_id",
        kind="exact",
        case_exact=True,
    ),
    Attribute(
        "userName",
        description="Unique sign-in name; unique regardless of letter case.",
        field="user_name",
        required=True,
        returned="always",
        uniqueness="server",
    ),
    Attribute("name", type="complex", description="The employee's name.", required=True, kind=""),
    Attribute(
        "name",
        "formatted",
        description="Given and family name; derived by Alexis, a value sent is ignored.",
        read=lambda e: e.full_name,
        kind="",
        mutability="readOnly",
        sortable=False,
    ),
    Attribute("name", "familyName", description="Family name.", field="family_name", required=True),
    Attribute("name", "givenName", description="Given name.", field="given_name", required=True),
    Attribute("displayName", description="Name displayed in Alexis.", field="display_name"),
    Attribute("title", description="Job title.", field="title"),
    Attribute(
        "active",
        type="boolean",
        description=(
            "Whether the employee is active; false when disabled. Removing it (PATCH remove) "
            "makes the employee active, the value a new user gets."
        ),
        field="active",
        kind="bool",
        parse=parse_boolean,
    ),
    Attribute(
        "emails",
        type="complex",
        description="Email addresses; the work address is required, other types are ignored.",
        field="work_email",
        multi_valued=True,
        element_type="work",
        required=True,
        sortable=False,
    ),
    Attribute(
        "emails",
        "value",
        description="The work email address.",
        field="work_email",
        multi_valued=True,
        element_type="work",
        required=True,
    ),
    Attribute(
        "emails",
        "type",
        description="Only 'work' is kept; other types are ignored.",
        field="work_email",
        kind="const",
        constant="work",
        multi_valued=True,
        element_type="work",
        canonical_values=("work",),
        sortable=False,
    ),
    Attribute(
        "emails",
        "primary",
        type="boolean",
        description="Whether the work address is the primary one.",
        field="work_email_primary",
        kind="bool",
        multi_valued=True,
        element_type="work",
        parse=parse_boolean,
        sortable=False,
    ),
    Attribute(
        "phoneNumbers",
        type="complex",
        description="Phone numbers; the work number is kept, other types are ignored.",
        field="work_phone",
        kind="exact",
        multi_valued=True,
        element_type="work",
        sortable=False,
    ),
    Attribute(
        "phoneNumbers",
        "value",
        description=(
            "The work number with its country code (+1 617 555 1212, tel:+1-617-555-1212); "
            "kept in E.164 form, answered as sent."
        ),
        field="work_phone",
        kind="exact",
        multi_valued=True,
        element_type="work",
        parse=parse_phone,
        read=_phone_as_sent,
    ),
    Attribute(
        "phoneNumbers",
        "type",
        description="Only 'work' is kept; other types are ignored.",
        field="work_phone",
        kind="const",
        constant="work",
        multi_valued=True,
        element_type="work",
        canonical_values=("work",),
        sortable=False,
    ),
    Attribute(
        "phoneNumbers",
        "primary",
        type="boolean",
        description="Whether the work number is the primary one.",
        field="work_phone_primary",
        kind="bool",
        multi_valued=True,
        element_type="work",
        parse=parse_boolean,
        sortable=False,
    ),
    Attribute(
        "groups",
        type="complex",
        description="The teams the employee belongs to; changed through the Group resource only.",
        kind="",
        multi_valued=True,
        mutability="readOnly",
        sortable=False,
    ),
    Attribute(
        "groups",
        "value",
        description="The team's id.",
        kind="",
        case_exact=True,
        multi_valued=True,
        mutability="readOnly",
    ),
    Attribute(
        "groups",
        "$ref",
        type="reference",
        description="URI of the team.",
        kind="",
        case_exact=True,
        multi_valued=True,
        mutability="readOnly",
        reference_types=("Group",),
    ),
    Attribute(
        "groups",
        "display",
        description="The team's name.",
        kind="",
        multi_valued=True,
        mutability="readOnly",
    ),
    Attribute(
        "groups",
        "type",
        description="Always 'direct': teams do not nest.",
        kind="",
        multi_valued=True,
        mutability="readOnly",
        canonical_values=("direct",),
    ),
    Attribute(
        "employeeNumber",
        schema=ENTERPRISE_USER,
        description="Employee number; unique among current employees.",
        field="employee_number",
        uniqueness="server",
    ),
    Attribute(
        "costCenter", schema=ENTERPRISE_USER, description="Cost center.", field="cost_center"
    ),
    Attribute(
        "organization", schema=ENTERPRISE_USER, description="Organization.", field="organization"
    ),
    Attribute("division", schema=ENTERPRISE_USER, description="Division.", field="division"),
    Attribute("department", schema=ENTERPRISE_USER, description="Department.", field="department"),
    Attribute(
        "manager",
        schema=ENTERPRISE_USER,
        type="complex",
        description="The employee's manager.",
        field="manager",
        orm="manager__public_id",
        kind="uuid",
        parse=parse_manager,
        sortable=False,
    ),
    Attribute(
        "manager",
        "value",
        schema=ENTERPRISE_USER,
        description="The manager's id.",
        field="manager",
        orm="manager__public_id",
        kind="uuid",
        case_exact=True,
        parse=parse_manager,
        read=lambda e: e.manager.public_id if e.manager_id else None,
        format=format_uuid,
    ),
    Attribute(
        "manager",
        "$ref",
        schema=ENTERPRISE_USER,
        type="reference",
        description="URI of the manager; accepted, the id in value decides.",
        kind="",
        case_exact=True,
        reference_types=("User",),
        sortable=False,
    ),
    Attribute(
        "manager",
        "displayName",
        schema=ENTERPRISE_USER,
        description="The manager's display name.",
        orm="manager__display_name",
        read=lambda e: _manager_display(e.manager) if e.manager_id else None,
        mutability="readOnly",
    ),
]


def meta_attributes(schema: str, resource_type: str) -> list[Attribute]:
    """Return the common attributes (RFC 7643 §3.1): filterable and sortable, set by Alexis."""
    return [
        Attribute(
            "meta",
            "created",
            schema=schema,
            type="dateTime",
            field="created_at",
            kind="datetime",
            mutability="readOnly",
            listed=False,
        ),
        Attribute(
            "meta",
            "lastModified",
            schema=schema,
            type="dateTime",
            field="updated_at",
            kind="datetime",
            mutability="readOnly",
            listed=False,
        ),
        Attribute(
            "meta",
            "resourceType",
            schema=schema,
            kind="const",
            constant=resource_type,
            mutability="readOnly",
            listed=False,
            sortable=False,
        ),
    ]


USER_SCHEMAS = [
    Schema(CORE_USER, "User", "User Account", extension=False),
    Schema(ENTERPRISE_USER, "EnterpriseUser", "Enterprise User"),
]

# ---------------------------------------------------------------------------------------------
# The Group resource (RFC 7643 §4.2) <-> Team

GROUP_ATTRIBUTES = [
    Attribute(
        "id",
        schema=CORE_GROUP,
        description="Identifier assigned by Alexis.",
        field="public_id",
        kind="uuid",
        format=format_uuid,
        case_exact=True,
        mutability="readOnly",
        returned="always",
        uniqueness="server",
    ),
    Attribute(
        "externalId",
        schema=CORE_GROUP,
        description="Identifier in the identity provider.",
        field="external_id",
        kind="exact",
        case_exact=True,
    ),
    Attribute(
        "displayName",
        schema=CORE_GROUP,
        description="The team's name; unique regardless of letter case.",
        field="display_name",
        required=True,
        returned="always",
        uniqueness="server",
    ),
    Attribute(
        "members",
        schema=CORE_GROUP,
        type="complex",
        description="The team's members: users only (teams do not nest).",
        field="members",
        orm="memberships__employee__public_id",
        kind="uuid",
        multi_valued=True,
        sortable=False,
    ),
    Attribute(
        "members",
        "value",
        schema=CORE_GROUP,
        description="The member's user id.",
        field="members",
        orm="memberships__employee__public_id",
        kind="uuid",
        case_exact=True,
        multi_valued=True,
        mutability="immutable",
        sortable=False,
    ),
    Attribute(
        "members",
        "$ref",
        schema=CORE_GROUP,
        type="reference",
        description="URI of the member; accepted, the id in value decides.",
        kind="",
        case_exact=True,
        multi_valued=True,
        mutability="immutable",
        reference_types=("User",),
        sortable=False,
    ),
    Attribute(
        "members",
        "display",
        schema=CORE_GROUP,
        description="The member's name.",
        orm="memberships__employee__display_name",
        multi_valued=True,
        mutability="readOnly",
        sortable=False,
    ),
    Attribute(
        "members",
        "type",
        schema=CORE_GROUP,
        description="Always 'User'.",
        kind="const",
        constant="User",
        multi_valued=True,
        mutability="immutable",
        canonical_values=("User",),
        sortable=False,
    ),
]

GROUP_SCHEMAS = [Schema(CORE_GROUP, "Group", "Group", extension=False)]


# ---------------------------------------------------------------------------------------------
# Catalogues, with the attributes registered providers add (custom fields, roles)

AttributeProvider = Callable[["HttpRequest | None"], Iterable[Attribute | Schema]]
_user_providers: list[AttributeProvider] = []


def register_user_attributes(provider: AttributeProvider) -> AttributeProvider:
    """Add a provider of extra User attributes and schemas (see the module docstring)."""
    if provider not in _user_providers:
        _user_providers.append(provider)
    return provider


def user_catalogue(request: HttpRequest | None = None) -> Catalogue:
    """Return the User catalogue: built-in attributes plus every provider's, once per request."""
    cached = getattr(request, "_scim_user_catalogue", None)
    if cached is not None:
        return cached
    schemas = list(USER_SCHEMAS)
    attributes = [*USER_ATTRIBUTES, *meta_attributes(CORE_USER, "User")]
    for provider in _user_providers:
        for entry in provider(request):
            (schemas if isinstance(entry, Schema) else attributes).append(entry)
    catalogue = Catalogue(CORE_USER, schemas, attributes)
    if request is not None:
        request._scim_user_catalogue = catalogue
    return catalogue


_group_catalogue = Catalogue(
    CORE_GROUP, GROUP_SCHEMAS, [*GROUP_ATTRIBUTES, *meta_attributes(CORE_GROUP, "Group")]
)


def group_catalogue(request: HttpRequest | None = None) -> Catalogue:
    """Return the Group catalogue (no extensions)."""
    return _group_catalogue
