"""The attributes Alexis serves on Users and Groups, and the registry extensions plug into.

Each entry is an `Attribute` (scim_api/attributes.py says what its fields mean). The
User catalogue is built once per request: the built-in entries below plus whatever each
provider registered with `register_user_attributes` yields (custom fields, roles).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from organisation.kinds import DEPARTMENT, LEGAL_ENTITY, LOCATION, Kind
from scim_api.attributes import (
    ALEXIS_USER,
    CORE_GROUP,
    CORE_USER,
    ENTERPRISE_USER,
    Attribute,
    Catalogue,
    Schema,
)
from scim_api.values import (
    format_date,
    format_uuid,
    manager_display,
    org_record_parser,
    parse_boolean,
    parse_date,
    parse_manager,
    parse_phone,
    phone_as_sent,
    phone_operand,
    stage_active,
    stage_phone,
)

if TYPE_CHECKING:
    from django.http import HttpRequest


def org_record_attribute(name: str, kind: Kind) -> Attribute:
    """An enterprise attribute Entra sends as a name and Alexis keeps as a record.

    Writes resolve the name (values.org_record_parser); reads, filters and sorting use the
    employee's text field, which holds the record's current name.
    """
    return Attribute(
        name,
        schema=ENTERPRISE_USER,
        description=f"{kind.singular.capitalize()}, by name (or an old name kept after a merge).",
        field=kind.employee_fk,
        orm=kind.employee_text,
        parse=org_record_parser(kind.slug),
        read=attrgetter(kind.employee_text),
    )


def office_location() -> list[Attribute]:
    """Entra's office location (physicalDeliveryOfficeName), which its default mapping sends
    as `addresses[type eq "other"].formatted`: kept as the employee's location record.

    Other address types and sub-attributes (the work address's street, city, country) are
    accepted and ignored with a warning, as every attribute Alexis does not keep.
    """
    kept = {"element_type": "other", "kind": "ci", "orm": LOCATION.employee_text}
    return [
        Attribute(
            "addresses",
            type="complex",
            description="Addresses; Alexis keeps the office location, sent as type 'other'.",
            multi_valued=True,
            sortable=False,
            **kept,
        ),
        Attribute(
            "addresses",
            "formatted",
            description=(
                "The office location, by the name of a location in Alexis (or an old name "
                "kept after a merge)."
            ),
            field=LOCATION.employee_fk,
            parse=org_record_parser(LOCATION.slug),
            read=attrgetter(LOCATION.employee_text),
            **kept,
        ),
        Attribute(
            "addresses",
            "type",
            description="Only 'other' (the office location) is kept; other types are ignored.",
            constant="other",
            canonical_values=("other",),
            sortable=False,
            **{**kept, "kind": "const"},
        ),
    ]


def identifiers(schema: str) -> list[Attribute]:
    """Return `id` and `externalId` (RFC 7643 §3.1), the same on every resource."""
    return [
        Attribute(
            "id",
            schema=schema,
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
            schema=schema,
            description="Identifier in the identity provider.",
            field="external_id",
            kind="exact",
            case_exact=True,
        ),
    ]


def work_element(
    name: str, description: str, *, value: Attribute, primary_field: str, **primary: Any
) -> list[Attribute]:
    """Return a multi-valued attribute of which Alexis keeps the work element, and its
    value, type and primary sub-attributes (emails, phoneNumbers)."""
    kept = {
        "element_type": "work",
        "kind": value.kind,
        "orm": value.field,
        "operand": value.operand,
    }
    return [
        Attribute(
            name,
            type="complex",
            description=description,
            multi_valued=True,
            required=value.required,
            **kept,
        ),
        value,
        Attribute(
            name,
            "type",
            description="Only 'work' is kept; other types are ignored.",
            constant="work",
            canonical_values=("work",),
            sortable=False,
            **{**kept, "kind": "const", "operand": None},
        ),
        Attribute(
            name,
            "primary",
            type="boolean",
            description="Whether the work value is the primary one.",
            field=primary_field,
            kind="bool",
            element_type="work",
            parse=parse_boolean,
            sortable=False,
            **primary,
        ),
    ]


def references(
    name: str,
    schema: str,
    description: str,
    subs: dict[str, str],
    *,
    to: str,
    kind_of: str,
    **options: Any,
) -> list[Attribute]:
    """Return a read-only multi-valued attribute of references to `to` resources and its
    sub-attributes (`type` always `kind_of`); `options` apply to every one of them."""
    parent = Attribute(
        name, schema=schema, type="complex", description=description, multi_valued=True, **options
    )
    return [
        parent,
        *(
            Attribute(
                name,
                sub,
                schema=schema,
                type="reference" if sub == "$ref" else "string",
                description=sub_description,
                case_exact=sub in ("value", "$ref"),
                reference_types=(to,) if sub == "$ref" else (),
                canonical_values=(kind_of,) if sub == "type" else (),
                **options,
            )
            for sub, sub_description in subs.items()
        ),
    ]


USER_ATTRIBUTES = [
    *identifiers(CORE_USER),
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
            "deactivates the employee, who is then answered without active until it is set."
        ),
        field="active",
        kind="bool",
        parse=parse_boolean,
        read=lambda e: e.active if e.active_stated else None,
        stage=stage_active,
        default=True,
        keep_when_absent=True,
    ),
    *work_element(
        "emails",
        "Email addresses; the work address is required, other types are ignored.",
        value=Attribute(
            "emails",
            "value",
            description="The work email address.",
            field="work_email",
            element_type="work",
            required=True,
        ),
        primary_field="work_email_primary",
        default=True,
    ),
    *work_element(
        "phoneNumbers",
        "Phone numbers; the work number is kept, other types are ignored.",
        value=Attribute(
            "phoneNumbers",
            "value",
            description=(
                "The work number with its country code (+1 617 555 1212, tel:+1-617-555-1212); "
                "kept in E.164 form, answered as sent."
            ),
            field="work_phone",
            kind="exact",
            element_type="work",
            parse=parse_phone,
            read=phone_as_sent,
            stage=stage_phone,
            operand=phone_operand,
        ),
        primary_field="work_phone_primary",
    ),
    *office_location(),
    *references(
        "groups",
        CORE_USER,
        "The teams the employee belongs to; changed through the Group resource only.",
        {
            "value": "The team's id.",
            "$ref": "URI of the team.",
            "display": "The team's name.",
            "type": "Always 'direct': teams do not nest.",
        },
        to="Group",
        kind_of="direct",
        kind="",
        mutability="readOnly",
        sortable=False,
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
    org_record_attribute("organization", LEGAL_ENTITY),
    Attribute("division", schema=ENTERPRISE_USER, description="Division.", field="division"),
    org_record_attribute("department", DEPARTMENT),
    Attribute(
        "manager",
        schema=ENTERPRISE_USER,
        type="complex",
        description="The employee's manager.",
        orm="manager__public_id",
        kind="uuid",
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
        read=lambda e: manager_display(e.manager) if e.manager_id else None,
        mutability="readOnly",
    ),
]


def employment_date(name: str, field: str, description: str) -> Attribute:
    """A date of Alexis's extension (Entra's employeeHireDate, employeeLeaveDateTime).

    A dateTime sent keeps the date as written (values.parse_date); answered at midnight UTC.
    A PUT without it keeps the date HR set.
    """
    return Attribute(
        name,
        schema=ALEXIS_USER,
        type="dateTime",
        description=description,
        field=field,
        kind="date",
        parse=parse_date,
        format=format_date,
        keep_when_absent=True,
    )


# Alexis's extension: the dates that start onboarding and offboarding checklists. Custom
# fields (scim_api.extensions) join them in this schema and may not take their names.
ALEXIS_USER_ATTRIBUTES = [
    employment_date(
        "startDate",
        "start_date",
        "First day of work (Entra's employeeHireDate); a dateTime keeps the date as written.",
    ),
    employment_date(
        "endDate",
        "end_date",
        "Last day of work (Entra's employeeLeaveDateTime); a dateTime keeps the date as written.",
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
    # Open: an attribute of a custom field deleted meanwhile is ignored, not refused.
    Schema(
        ALEXIS_USER,
        "AlexisUser",
        "Employee fields of Alexis: start and end dates, and the custom fields owners define",
        open=True,
    ),
]

# ---------------------------------------------------------------------------------------------
# The Group resource (RFC 7643 §4.2) <-> Team

GROUP_ATTRIBUTES = [
    *identifiers(CORE_GROUP),
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


BUILTIN_USER_CATALOGUE = Catalogue(
    CORE_USER,
    USER_SCHEMAS,
    [*USER_ATTRIBUTES, *ALEXIS_USER_ATTRIBUTES, *meta_attributes(CORE_USER, "User")],
)


_extended: tuple[tuple[int, ...], Catalogue | None] = ((), None)


def user_catalogue(request: HttpRequest | None = None) -> Catalogue:
    """Return the User catalogue: built-in attributes plus every provider's, once per request."""
    cached = getattr(request, "_scim_user_catalogue", None)
    if cached is not None:
        return cached
    global _extended
    catalogue = BUILTIN_USER_CATALOGUE
    extra = [entry for provider in _user_providers for entry in provider(request)]
    # Providers that yield the same entries as last time (custom field definitions are kept
    # for a moment, see alexis/snapshot.py) get the catalogue built last time. The cached
    # catalogue holds those entries, so their ids cannot be reused by other objects.
    key = tuple(map(id, extra))
    if extra and _extended[0] == key:
        catalogue = _extended[1]
    elif extra:
        catalogue = Catalogue(
            CORE_USER,
            [*catalogue.schemas, *(e for e in extra if isinstance(e, Schema))],
            [*catalogue.attributes, *(e for e in extra if not isinstance(e, Schema))],
        )
        _extended = (key, catalogue)
    if request is not None:
        request._scim_user_catalogue = catalogue
    return catalogue


_group_catalogue = Catalogue(
    CORE_GROUP, GROUP_SCHEMAS, [*GROUP_ATTRIBUTES, *meta_attributes(CORE_GROUP, "Group")]
)


def group_catalogue(request: HttpRequest | None = None) -> Catalogue:
    """Return the Group catalogue (no extensions)."""
    return _group_catalogue
