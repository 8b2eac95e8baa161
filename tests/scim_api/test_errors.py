"""Authentication and bad input: SCIM error bodies, never a 500, never database text."""

import json
from http import HTTPStatus

import pytest

from access_tokens.models import Scope
from access_tokens.services import access_token_create, access_token_revoke
from employees.models import Employee
from tests.factories import EmployeeFactory
from tests.scim_api.conftest import ERROR, entra_create_body, error_body

pytestmark = pytest.mark.django_db

UNAUTHORIZED = error_body(401, "A valid access token with the Provisioning scope is required.")


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer alx_nonsense", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000],
)
def test_requests_without_a_valid_token_are_401_with_a_bearer_challenge(client, authorization):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}

    for path in ("/scim/v2/Users", "/scim/v2/Groups", "/scim/v2/Schemas", "/scim/v2/Nope"):
        response = client.get(path, **headers)
        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert response["WWW-Authenticate"] == 'Bearer realm="alexis"'
        assert response["Content-Type"] == "application/scim+json"
        assert response.json() == UNAUTHORIZED


def test_a_revoked_token_is_401_and_writes_nothing(client, scim_token, owner):
    access_token_revoke(token=scim_token.token, revoked_by=owner)

    response = client.post(
        "/scim/v2/Users",
        json.dumps(entra_create_body()),
        content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {scim_token.plaintext}",
    )

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert not Employee.objects.exists()


def test_a_token_without_the_provisioning_scope_is_403(client, owner):
    created = access_token_create(name="Reports", scopes=[Scope.API_READ], created_by=owner)

    response = client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {created.plaintext}")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == error_body(
        403, "This access token does not have the Provisioning scope."
    )


def test_unknown_paths_and_methods_are_scim_errors(scim):
    missing = scim.get("Widgets/1")
    wrong_method = scim.put("Users", entra_create_body())

    assert (missing.status_code, missing.json()) == (
        HTTPStatus.NOT_FOUND,
        error_body(404, "There is no SCIM endpoint at this path."),
    )
    assert (wrong_method.status_code, wrong_method.json()["status"]) == (
        HTTPStatus.METHOD_NOT_ALLOWED,
        "405",
    )


GARBAGE_BODIES = [
    b"",
    b"not json",
    b"{",
    b"[]",
    b'"a string"',
    b"42",
    b"null",
    b"\xff\xfe\x00",
    b"[" * 100000 + b"]" * 100000,
    json.dumps({"userName": ["list"]}).encode(),
    json.dumps({"userName": "a\u0000b", "name": {"givenName": "a", "familyName": "b"}}).encode(),
    json.dumps({"name": "flat string", "userName": "x"}).encode(),
    json.dumps({"emails": "x@y.z", "userName": "x"}).encode(),
    json.dumps({"emails": [1, 2], "userName": "x"}).encode(),
    json.dumps(entra_create_body(userName="x" * 10000)).encode(),
    json.dumps(entra_create_body(emails=[{"type": "work", "value": "not an email"}])).encode(),
    json.dumps(
        entra_create_body(**{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": "flat"})
    ).encode(),
    json.dumps(
        entra_create_body(
            **{
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                    "manager": {"value": 12}
                }
            }
        )
    ).encode(),
    json.dumps({"Operations": "nope"}).encode(),
    json.dumps({"Operations": [None]}).encode(),
    json.dumps({"Operations": [{"op": 1}]}).encode(),
    json.dumps({"Operations": [{"op": "add", "path": 7, "value": 1}]}).encode(),
    json.dumps({"Operations": [{"op": "add", "path": "emails[type eq", "value": 1}]}).encode(),
    json.dumps({"Operations": [{"op": "add", "path": "title", "value": {"a": 1}}]}).encode(),
    json.dumps({"Operations": [{"op": "add", "path": "active", "value": [True]}]}).encode(),
    json.dumps({"Operations": [{"op": "add", "value": {"1": 2, "name": 3}}]}).encode(),
    json.dumps({"Operations": [{"op": "add", "path": "manager", "value": [{}, {}]}]}).encode(),
    json.dumps(
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter": 5,
            "count": "many",
            "startIndex": [],
            "sortBy": 3,
        }
    ).encode(),
    json.dumps(
        {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "attributes": 5}
    ).encode(),
]

GARBAGE_QUERIES = [
    "filter=",
    "filter=%00",
    "filter=userName eq %22%00%22",
    "filter=((((",
    'filter=userName eq "x" and' + " not" * 3000 + " x",
    "count=abc",
    "count=1e400",
    "count=99999999999999999999999999",
    "startIndex=-99999999999999999999",
    "startIndex=99999999999999999999",
    "startIndex=1.5",
    "sortBy=%5B%5D",
    "sortOrder=sideways",
    "attributes=%5B%5D,,urn:x:y:z,emails[",
    "excludedAttributes=id,schemas,urn:",
]


@pytest.mark.parametrize(
    "path",
    [
        "Users",
        "Users/{id}",
        "Users/not-a-uuid",
        "Users/00000000-0000-0000-0000-000000000000",
        "Users/.search",
        "Groups",
        "Groups/x",
        "Groups/.search",
        "Me",
        "Bulk",
        "ServiceProviderConfig",
        "ResourceTypes",
        "ResourceTypes/x",
        "Schemas",
        "Schemas/x",
        "%00",
        "Users/%00",
    ],
)
def test_garbage_at_every_endpoint_never_gives_a_500(scim_client, path):
    employee = EmployeeFactory()
    url = "/scim/v2/" + path.replace("{id}", str(employee.public_id))
    for method in ("get", "post", "put", "patch", "delete"):
        for body in GARBAGE_BODIES:
            response = scim_client.generic(
                method.upper(), url, body, content_type="application/scim+json"
            )
            _assert_clean(response, method, url, body)
    for query in GARBAGE_QUERIES:
        response = scim_client.get(f"{url}?{query}")
        _assert_clean(response, "get", url, query)


def _assert_clean(response, method, url, detail):
    where = f"{method.upper()} {url} {str(detail)[:80]}"
    assert response.status_code < 500 or response.status_code == 501, where
    if response.status_code >= 400:
        data = response.json()
        assert data["schemas"] == [ERROR], where
        assert isinstance(data["status"], str), where
        text = data["detail"].lower()
        for leak in ("traceback", "sql", "employees_employee", "constraint", "psycopg", "sqlite"):
            assert leak not in text, (where, data["detail"])


def test_a_rejected_write_leaves_the_record_untouched(scim):
    employee = EmployeeFactory(title="Keep me")

    scim.patch(
        f"Users/{employee.public_id}",
        {
            "Operations": [
                {"op": "replace", "path": "title", "value": "Changed"},
                {"op": "replace", "path": "manager", "value": "not-an-id"},
            ]
        },
    )

    assert Employee.objects.get(pk=employee.pk).title == "Keep me"
