"""Helpers for SCIM tests: Entra-shaped request bodies and a JSON-speaking client."""

import datetime as dt
import json

import pytest

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTRA_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
BASE = "/scim/v2"
HOST = "http://testserver"


class Scim:
    """A test client that sends SCIM JSON and returns (response, parsed body)."""

    def __init__(self, client):
        self.client = client

    def _send(self, method, path, body=None, **headers):
        url = path if path.startswith("/") else f"{BASE}/{path}"
        kwargs = {}
        if body is not None:
            kwargs["data"] = body if isinstance(body, str | bytes) else json.dumps(body)
            kwargs["content_type"] = "application/scim+json"
        response = getattr(self.client, method)(url, **kwargs, **headers)
        return response

    def get(self, path, **headers):
        return self._send("get", path, **headers)

    def post(self, path, body, **headers):
        return self._send("post", path, body, **headers)

    def put(self, path, body, **headers):
        return self._send("put", path, body, **headers)

    def patch(self, path, body, **headers):
        return self._send("patch", path, body, **headers)

    def delete(self, path, **headers):
        return self._send("delete", path, **headers)

    def patch_ops(self, user_id, *operations, **headers):
        body = {"schemas": [PATCH_OP], "Operations": list(operations)}
        return self.patch(f"Users/{user_id}", body, **headers)

    def patch_group(self, group_id, *operations, query="", **headers):
        body = {"schemas": [PATCH_OP], "Operations": list(operations)}
        return self.patch(f"Groups/{group_id}{query}", body, **headers)


@pytest.fixture
def scim(scim_client):
    return Scim(scim_client)


def entra_create_body(user_name="Test_User_00aa00aa@contoso.com", **overrides):
    """The body Entra sends to create a user (Microsoft's documented example, our values)."""
    body = {
        "schemas": [CORE, ENT],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": user_name,
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": "grace.hopper@contoso.com"}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Grace Hopper", "familyName": "Hopper", "givenName": "Grace"},
        "roles": [],
    }
    body.update(overrides)
    return body


def iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def error_body(status, detail, scim_type=None):
    body = {"schemas": [ERROR], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return body
