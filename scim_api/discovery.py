"""Discovery documents (RFC 7644 §4, RFC 7643 §5-7), stating exactly what Alexis supports."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django_scim.constants import SchemaURI

from scim_api.attributes import CORE_GROUP, CORE_USER, Attribute, Catalogue
from scim_api.catalogue import group_catalogue, user_catalogue
from scim_api.locations import base_location

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
    },
    {
        "type": "oauth2",
        "name": "OAuth 2.0 client credentials",
        "description": (
            "An access token issued to an Alexis OAuth client by the token endpoint (client "
            "credentials grant with a client secret, or a federated JWT assertion, RFC 7523), "
            "sent as Authorization: Bearer <token>. documentationUri is the token endpoint."
        ),
        "specUri": "https://www.rfc-editor.org/info/rfc6749",
        # Filled in per request with the absolute URL of POST /oauth2/token.
        "documentationUri": "",
    },
]


def authentication_schemes(request=None) -> list[dict[str, Any]]:
    """Return the schemes, with the token endpoint's absolute URL for the OAuth one."""
    token_url = base_location(request) + reverse("oauth2-token")
    return [
        {**scheme, "documentationUri": token_url} if "documentationUri" in scheme else scheme
        for scheme in AUTHENTICATION_SCHEMES
    ]


def _attribute(attribute: Attribute, catalogue: Catalogue) -> dict[str, Any]:
    """Describe one attribute as RFC 7643 §7 does, from its catalogue entry."""
    described: dict[str, Any] = {
        "name": attribute.sub or attribute.name,
        "type": attribute.type,
        "multiValued": attribute.multi_valued and attribute.sub is None,
        "description": attribute.description,
        "required": attribute.required,
        "caseExact": attribute.case_exact,
        "mutability": attribute.mutability,
        "returned": attribute.returned,
        "uniqueness": attribute.uniqueness,
    }
    if attribute.sub is None and attribute.type == "complex":
        described["subAttributes"] = [_attribute(s, catalogue) for s in catalogue.subs(attribute)]
    if attribute.canonical_values:
        described["canonicalValues"] = list(attribute.canonical_values)
    if attribute.reference_types:
        described["referenceTypes"] = list(attribute.reference_types)
    return described


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
        schema["meta"]["location"] = base_location(request) + reverse(
            "scim:schemas", kwargs={"uuid": uri}
        )
    return schema


def schemas(request=None) -> list[dict]:
    """Return the schemas of Users and Groups as Alexis enforces them (RFC 7643 §7)."""
    documents = []
    for catalogue in (user_catalogue(request), group_catalogue(request)):
        for schema in catalogue.schemas:
            attributes = [
                _attribute(a, catalogue) for a in catalogue.top_level(schema.id) if a.listed
            ]
            documents.append(
                _schema(schema.id, schema.name, schema.description, attributes, request)
            )
    return documents


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
            "schemaExtensions": [
                {"schema": schema.id, "required": False}
                for schema in user_catalogue(request).schemas
                if schema.extension
            ],
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
            "authenticationSchemes": authentication_schemes(self.request),
            "meta": {
                "resourceType": "ServiceProviderConfig",
                "location": base_location(self.request) + reverse("scim:service-provider-config"),
            },
        }
