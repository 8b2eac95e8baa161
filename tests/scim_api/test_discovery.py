"""ServiceProviderConfig, ResourceTypes and Schemas (RFC 7644 §4), Groups probes, Me and Bulk."""

from http import HTTPStatus

import pytest

from tests.scim_api.conftest import CORE, ENT, GROUP, HOST, LIST, error_body

pytestmark = pytest.mark.django_db

BASE = f"{HOST}/scim/v2"
ALEXIS = "urn:ietf:params:scim:schemas:extension:alexis:2.0:User"


def test_service_provider_config_is_truthful(scim):
    response = scim.get("ServiceProviderConfig")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/scim+json"
    assert response.json() == {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": 200},
        "changePassword": {"supported": False},
        "sort": {"supported": True},
        "etag": {"supported": True},
        "authenticationSchemes": [
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
                    "An access token issued to an Alexis OAuth client by the token endpoint "
                    "(client credentials grant with a client secret, or a federated JWT "
                    "assertion, RFC 7523), sent as Authorization: Bearer <token>. "
                    "documentationUri is the token endpoint."
                ),
                "specUri": "https://www.rfc-editor.org/info/rfc6749",
                "documentationUri": f"{HOST}/oauth2/token",
            },
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{BASE}/ServiceProviderConfig",
        },
    }


def test_resource_types_declare_the_enterprise_extension(scim):
    user_type = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "An employee.",
        "schema": CORE,
        "schemaExtensions": [
            {"schema": ENT, "required": False},
            {"schema": ALEXIS, "required": False},
        ],
        "meta": {"resourceType": "ResourceType", "location": f"{BASE}/ResourceTypes/User"},
    }

    group_type = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": "Group",
        "name": "Group",
        "endpoint": "/Groups",
        "description": "A team of employees (an Entra ID group).",
        "schema": GROUP,
        "schemaExtensions": [],
        "meta": {"resourceType": "ResourceType", "location": f"{BASE}/ResourceTypes/Group"},
    }

    assert scim.get("ResourceTypes").json() == {
        "schemas": [LIST],
        "totalResults": 2,
        "startIndex": 1,
        "itemsPerPage": 2,
        "Resources": [user_type, group_type],
    }
    assert scim.get("ResourceTypes/User/").json() == user_type
    assert scim.get("ResourceTypes/Group").json() == group_type
    missing = scim.get("ResourceTypes/Team")
    assert (missing.status_code, missing.json()) == (
        HTTPStatus.NOT_FOUND,
        error_body(404, "Resource Team not found."),
    )


def _attributes(schema):
    return {a["name"]: a for a in schema["attributes"]}


def test_schemas_describe_what_alexis_enforces(scim):
    listing = scim.get("Schemas").json()

    assert (listing["schemas"], listing["totalResults"], listing["itemsPerPage"]) == ([LIST], 4, 4)
    assert [s["id"] for s in listing["Resources"]] == [CORE, ENT, ALEXIS, GROUP]
    user = scim.get(f"Schemas/{CORE}").json()
    assert user["meta"] == {"resourceType": "Schema", "location": f"{BASE}/Schemas/{CORE}"}
    attributes = _attributes(user)
    assert list(attributes) == [
        "id",
        "externalId",
        "userName",
        "name",
        "displayName",
        "title",
        "active",
        "emails",
        "phoneNumbers",
        "addresses",
        "groups",
    ]
    assert [s["name"] for s in attributes["addresses"]["subAttributes"]] == ["formatted", "type"]
    assert attributes["groups"]["mutability"] == "readOnly"
    assert attributes["groups"]["multiValued"] is True
    assert [(s["name"], s["mutability"]) for s in attributes["groups"]["subAttributes"]] == [
        ("value", "readOnly"),
        ("$ref", "readOnly"),
        ("display", "readOnly"),
        ("type", "readOnly"),
    ]
    assert {k: attributes["userName"][k] for k in ("required", "caseExact", "uniqueness")} == {
        "required": True,
        "caseExact": False,
        "uniqueness": "server",
    }
    assert (attributes["externalId"]["caseExact"], attributes["id"]["mutability"]) == (
        True,
        "readOnly",
    )
    assert [s["name"] for s in attributes["name"]["subAttributes"] if s["required"]] == [
        "familyName",
        "givenName",
    ]
    assert (attributes["emails"]["required"], attributes["phoneNumbers"]["required"]) == (
        True,
        False,
    )
    enterprise = _attributes(scim.get(f"Schemas/{ENT}").json())
    assert list(enterprise) == [
        "employeeNumber",
        "costCenter",
        "organization",
        "division",
        "department",
        "manager",
    ]
    assert [s["name"] for s in enterprise["manager"]["subAttributes"]] == [
        "value",
        "$ref",
        "displayName",
    ]
    alexis = _attributes(scim.get(f"Schemas/{ALEXIS}").json())
    assert list(alexis) == ["startDate", "endDate"]
    assert {(a["type"], a["mutability"], a["required"]) for a in alexis.values()} == {
        ("dateTime", "readWrite", False)
    }
    assert scim.get("Schemas/urn:unknown").status_code == HTTPStatus.NOT_FOUND


def test_the_group_schema_describes_teams(scim):
    group = scim.get(f"Schemas/{GROUP}").json()

    assert (group["id"], group["name"], group["meta"]) == (
        GROUP,
        "Group",
        {"resourceType": "Schema", "location": f"{BASE}/Schemas/{GROUP}"},
    )
    attributes = _attributes(group)
    assert list(attributes) == ["id", "externalId", "displayName", "members"]
    display_name = attributes["displayName"]
    assert {k: display_name[k] for k in ("required", "caseExact", "uniqueness", "mutability")} == {
        "required": True,
        "caseExact": False,
        "uniqueness": "server",
        "mutability": "readWrite",
    }
    members = attributes["members"]
    assert (members["type"], members["multiValued"], members["mutability"]) == (
        "complex",
        True,
        "readWrite",
    )
    assert [(s["name"], s["mutability"]) for s in members["subAttributes"]] == [
        ("value", "immutable"),
        ("$ref", "immutable"),
        ("display", "readOnly"),
        ("type", "immutable"),
    ]
    assert members["subAttributes"][1]["referenceTypes"] == ["User"]


@pytest.mark.parametrize(
    "query",
    [
        "excludedAttributes=members&filter=displayName+eq+%22cf4d78e8-cc4f-4d5d-b8b9-183561c0104a%22",
        'filter=externalId eq "x"',
        'filter=id eq "x" and members eq "y"',
        "",
    ],
)
def test_groups_answer_entras_probe_with_an_empty_list_when_no_team_exists(scim, query):
    response = scim.get(f"Groups?{query}")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "schemas": [LIST],
        "totalResults": 0,
        "startIndex": 1,
        "itemsPerPage": 0,
        "Resources": [],
    }


def test_a_malformed_group_filter_is_400(scim):
    response = scim.get("Groups?filter=displayName eq")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["scimType"] == "invalidFilter"


@pytest.mark.parametrize("path", ["Me", "Bulk", ".search"])
def test_me_bulk_and_root_search_are_501_with_a_scim_body(scim, path):
    for response in (scim.get(path), scim.post(path, {"schemas": []})):
        assert response.status_code == HTTPStatus.NOT_IMPLEMENTED
        assert response.json() == error_body(501, "This endpoint is not supported by Alexis.")


def test_trailing_slashes_are_tolerated(scim):
    for path in ("Users/", "Groups/", "Schemas/", "ServiceProviderConfig/", "ResourceTypes/"):
        assert scim.get(path).status_code == HTTPStatus.OK, path
