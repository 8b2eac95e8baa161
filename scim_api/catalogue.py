"""The attributes Alexis serves on Users and Groups, and the registry extensions plug into.

Each entry is an `Attribute` (scim_api/attributes.py says what its fields mean). The
User catalogue is built once per request: the built-in entries below plus whatever each
provider registered with `register_user_attributes` yields (custom fields, roles).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from scim_api.attributes import (
    CORE_GROUP,
    CORE_USER,
    ENTERPRISE_USER,
    Attribute,
    Catalogue,
    Schema,
)
from scim_api.values import (
    format_uuid,
    manager_display,
    parse_boolean,
    parse_manager,
    parse_phone,
    phone_as_sent,
    stage_active,
    stage_phone,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

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
    Attribute(
        "emails",
        type="complex",
        description="Email addresses; the work address is required, other types are ignored.",
        orm="work_email",
        multi_valued=True,
        element_type="work",
        required=True,
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
        orm="work_email",
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
        default=True,
        sortable=False,
    ),
    Attribute(
        "phoneNumbers",
        type="complex",
        description="Phone numbers; the work number is kept, other types are ignored.",
        orm="work_phone",
        kind="exact",
        multi_valued=True,
        element_type="work",
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
        read=phone_as_sent,
        stage=stage_phone,
    ),
    Attribute(
        "phoneNumbers",
        "type",
        description="Only 'work' is kept; other types are ignored.",
        orm="work_phone",
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
        orm="manager__public_id",
        kind="uuid",
        parse=parse_manager,
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
