"""Discovery documents (RFC 7644 §4, RFC 7643 §5-7), stating exactly what Alexis supports."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django_scim.constants import SchemaURI

from scim_api.adapters import base_location
from scim_api.filters import CORE_GROUP, CORE_USER, ENTERPRISE_USER

SCHEMA_URI = "urn:ietf:params:scim:schemas:core:2.0:Schema"
MAX_RESULTS = 200
DEFAULT_COUNT = 100

AUTHENTICATION_SCHEMES = [
    {
        "type": "oauthbearertoken",
        "name": "Bearer token",
        "description": (
            "An Alexis access token with the Provisioning API (SCIM) scope, sent as "
            "Authorization: Bearer <token>."
        ),
        "specUri": "https://www.rfc-editor.org/info/rfc6750",
        "primary": True,
    }
]


def _attribute(
    name: str,
    description: str,
    *,
    type_: str = "string",
    required: bool = False,
    case_exact: bool = False,
    mutability: str = "readWrite",
    returned: str = "default",
    uniqueness: str = "none",
    multi_valued: bool = False,
    sub_attributes: list[dict] | None = None,
    canonical_values: list[str] | None = None,
    reference_types: list[str] | None = None,
) -> dict[str, Any]:
    attribute: dict[str, Any] = {
        "name": name,
        "type": type_,
        "multiValued": multi_valued,
        "description": description,
        "required": required,
        "caseExact": case_exact,
        "mutability": mutability,
        "returned": returned,
        "uniqueness": uniqueness,
    }
    if sub_attributes is not None:
        attribute["subAttributes"] = sub_attributes
    if canonical_values is not None:
        attribute["canonicalValues"] = canonical_values
    if reference_types is not None:
        attribute["referenceTypes"] = reference_types
    return attribute


def _work_multi_valued(name: str, description: str, *, required: bool) -> dict[str, Any]:
    return _attribute(
        name,
        description,
        type_="complex",
        multi_valued=True,
        required=required,
        sub_attributes=[
            _attribute("value", "The value; only the work one is kept.", required=required),
            _attribute(
                "type", "Only 'work' is kept; other types are ignored.", canonical_values=["work"]
            ),
            _attribute("primary", "The work value is the primary one.", type_="boolean"),
        ],
    )


USER_SCHEMA_ATTRIBUTES = [
    _attribute(
        "id",
        "Identifier assigned by Alexis.",
        case_exact=True,
        mutability="readOnly",
        returned="always",
        uniqueness="server",
    ),
    _attribute("externalId", "Identifier in the identity provider.", case_exact=True),
    _attribute(
        "userName",
        "Unique sign-in name; unique regardless of letter case.",
        required=True,
        returned="always",
        uniqueness="server",
    ),
    _attribute(
        "name",
        "The employee's name.",
        type_="complex",
        required=True,
        sub_attributes=[
            _attribute(
                "formatted", "Given and family name; derived by Alexis.", mutability="readOnly"
            ),
            _attribute("familyName", "Family name.", required=True),
            _attribute("givenName", "Given name.", required=True),
        ],
    ),
    _attribute("displayName", "Name displayed in Alexis."),
    _attribute("title", "Job title."),
    _attribute("active", "Whether the employee is active; false when disabled.", type_="boolean"),
    _work_multi_valued("emails", "Email addresses; the work address is required.", required=True),
    _work_multi_valued(
        "phoneNumbers",
        "Phone numbers; the work number in E.164 form (+16175551212).",
        required=False,
    ),
    _attribute(
        "groups",
        "The teams the employee belongs to; changed through the Group resource only.",
        type_="complex",
        multi_valued=True,
        mutability="readOnly",
        sub_attributes=[
            _attribute("value", "The team's id.", case_exact=True, mutability="readOnly"),
            _attribute(
                "$ref",
                "URI of the team.",
                type_="reference",
                case_exact=True,
                mutability="readOnly",
                reference_types=["Group"],
            ),
            _attribute("display", "The team's name.", mutability="readOnly"),
            _attribute(
                "type",
                "Always 'direct': teams do not nest.",
                mutability="readOnly",
                canonical_values=["direct"],
            ),
        ],
    ),
]

GROUP_SCHEMA_ATTRIBUTES = [
    _attribute(
        "id",
        "Identifier assigned by Alexis.",
        case_exact=True,
        mutability="readOnly",
        returned="always",
        uniqueness="server",
    ),
    _attribute("externalId", "Identifier in the identity provider.", case_exact=True),
    _attribute(
        "displayName",
        "The team's name; unique regardless of letter case.",
        required=True,
        returned="always",
        uniqueness="server",
    ),
    _attribute(
        "members",
        "The team's members: users only (teams do not nest).",
        type_="complex",
        multi_valued=True,
        sub_attributes=[
            _attribute("value", "The member's user id.", case_exact=True, mutability="immutable"),
            _attribute(
                "$ref",
                "URI of the member; accepted, the id in value decides.",
                type_="reference",
                case_exact=True,
                mutability="immutable",
                reference_types=["User"],
            ),
            _attribute("display", "The member's name.", mutability="readOnly"),
            _attribute(
                "type",
                "Always 'User'.",
                mutability="immutable",
                canonical_values=["User"],
            ),
        ],
    ),
]

ENTERPRISE_SCHEMA_ATTRIBUTES = [
    _attribute(
        "employeeNumber", "Employee number; unique among current employees.", uniqueness="server"
    ),
    _attribute("costCenter", "Cost center."),
    _attribute("organization", "Organization."),
    _attribute("division", "Division."),
    _attribute("department", "Department."),
    _attribute(
        "manager",
        "The employee's manager.",
        type_="complex",
        sub_attributes=[
            _attribute("value", "The manager's id.", case_exact=True),
            _attribute(
                "$ref",
                "URI of the manager; accepted, the id in value decides.",
                type_="reference",
                case_exact=True,
                reference_types=["User"],
            ),
            _attribute("displayName", "The manager's display name.", mutability="readOnly"),
        ],
    ),
]


def _schema(uri: str, name: str, description: str, attributes: list[dict], request) -> dict:
    schema = {
        "schemas": [SCHEMA_URI],
        "id": uri,
        "name": name,
        "description": description,
        "attributes": attributes,
        "meta": {"resourceType": "Schema"},
    }
    if request is not None:
        # Without a request (django-scim2 reads the schemas at import) there is no host yet.
        schema["meta"]["location"] = base_location(request) + reverse(
            "scim:schemas", kwargs={"uuid": uri}
        )
    return schema


def schemas(request=None) -> list[dict]:
    """Return the User, Enterprise User and Group schemas as Alexis enforces them (RFC 7643 §7)."""
    return [
        _schema(CORE_USER, "User", "User Account", USER_SCHEMA_ATTRIBUTES, request),
        _schema(
            ENTERPRISE_USER,
            "EnterpriseUser",
            "Enterprise User",
            ENTERPRISE_SCHEMA_ATTRIBUTES,
            request,
        ),
        _schema(CORE_GROUP, "Group", "Group", GROUP_SCHEMA_ATTRIBUTES, request),
    ]


def resource_types(request=None) -> list[dict]:
    """Return the resource types Alexis serves (RFC 7643 §6)."""
    return [
        {
            "schemas": [SchemaURI.RESOURCE_TYPE],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "An employee.",
            "schema": CORE_USER,
            "schemaExtensions": [{"schema": ENTERPRISE_USER, "required": False}],
            "meta": {
                "resourceType": "ResourceType",
                "location": base_location(request)
                + reverse("scim:resource-types", kwargs={"uuid": "User"}),
            },
        },
        {
            "schemas": [SchemaURI.RESOURCE_TYPE],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "A team of employees (an Entra ID group).",
            "schema": CORE_GROUP,
            "schemaExtensions": [],
            "meta": {
                "resourceType": "ResourceType",
                "location": base_location(request)
                + reverse("scim:resource-types", kwargs={"uuid": "Group"}),
            },
        },
    ]


class ServiceProviderConfig:
    """django-scim2's SERVICE_PROVIDER_CONFIG_MODEL: what Alexis supports (RFC 7643 §5)."""

    def __init__(self, request=None) -> None:
        self.request = request

    def to_dict(self) -> dict[str, Any]:
        return {
            "schemas": [SchemaURI.SERVICE_PROVIDER_CONFIG],
            "patch": {"supported": True},
            "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": True, "maxResults": MAX_RESULTS},
            "changePassword": {"supported": False},
            "sort": {"supported": True},
            "etag": {"supported": True},
            "authenticationSchemes": AUTHENTICATION_SCHEMES,
            "meta": {
                "resourceType": "ServiceProviderConfig",
                "location": base_location(self.request) + reverse("scim:service-provider-config"),
            },
        }
