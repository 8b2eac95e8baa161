"""SCIM writes (RFC 7644 §3.3, §3.5, §3.6): each in one transaction, with If-Match checked.

Each write runs in one transaction on its handler method (not around dispatch, which turns
exceptions into responses and would otherwise commit half-done work); the request's outcome
completes inside it, so that the provisioning log's event commits or rolls back with it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from employees.models import Employee
from scim_api.errors import ScimError, not_found
from scim_api.groups import TeamAdapter
from scim_api.locations import etag
from scim_api.outcome import Operation, outcome_complete, outcome_for
from scim_api.patch import ci_get
from scim_api.users import EmployeeAdapter
from teams.models import Team


def _if_match_versions(request: HttpRequest) -> list[str] | None:
    header = request.META.get("HTTP_IF_MATCH")
    if header is None:
        return None
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def resource_key(view) -> uuid.UUID:
    """Return the id in the URL as a UUID; anything else names no resource (404)."""
    resource_id = view.kwargs.get("uuid") or ""
    try:
        return uuid.UUID(resource_id)
    except ValueError:
        raise not_found(resource_id) from None


def found(view, obj: Employee | Team | None, resource_type: str) -> Employee | Team:
    """Return the object, recorded on the request's outcome, or raise 404."""
    if obj is None:
        raise not_found(view.kwargs.get("uuid") or "")
    outcome = outcome_for(view.request)
    if resource_type == "User":
        outcome.employee = obj
    else:
        outcome.team = obj
    outcome.resource_type = resource_type
    outcome.resource_id = str(obj.public_id)
    return obj


class WriteMixin:
    """Create, replace, patch and delete, each in one transaction, shared by Users and Groups.

    A view names its adapter, model and noun, and may change how it reads the object it
    writes (get_object_for_write) and what a PATCH answers (patch_response).
    """

    noun = "resource"
    adapter_class: type[EmployeeAdapter | TeamAdapter]
    resource_model: type[Employee | Team]

    def get_object_for_write(self) -> Employee | Team:
        return self.get_object()

    def patch_response(self, adapter: EmployeeAdapter | TeamAdapter) -> HttpResponse:
        return self.resource_response(adapter)

    def check_if_match(self, obj: Employee | Team) -> int | None:
        """Refuse a write whose If-Match names another version (RFC 7644 §3.14); 412."""
        tags = _if_match_versions(self.request)
        if tags is None:
            return None
        current = etag(obj)
        strong = current[2:]
        if "*" in tags or current in tags or strong in tags:
            return obj.version
        raise ScimError(412, f"The {self.noun} changed since it was read (If-Match failed).")

    def write(self, operation: str, handler: Callable[[], HttpResponse]) -> HttpResponse:
        """Run a write in one transaction; its outcome completes inside it when it succeeds."""
        outcome_for(self.request).operation = operation
        with transaction.atomic():
            response = handler()
            outcome_complete(self.request, response, in_transaction=True)
        return response

    def post(self, request, uuid=None, *args, **kwargs):
        if uuid:
            raise ScimError(405, f"POST is not supported on a single {self.noun}.")
        return self.write(Operation.CREATE, lambda: self._create(request))

    def _create(self, request) -> HttpResponse:
        body = self.load_object(request)
        adapter = self.adapter_class(self.resource_model(), request=request)
        adapter.from_dict(body)
        adapter.save()
        return self.resource_response(adapter, status=201)

    def put(self, request, uuid=None, *args, **kwargs):
        if not uuid:
            raise ScimError(405, f"PUT needs a {self.noun} id.")
        return self.write(Operation.REPLACE, lambda: self._replace(request))

    def _replace(self, request) -> HttpResponse:
        adapter, body = self._adapter_for_write(request)
        adapter.from_dict(body)
        adapter.save()
        return self.resource_response(adapter)

    def _adapter_for_write(self, request) -> tuple[EmployeeAdapter | TeamAdapter, dict]:
        """Read the body, then the object (locked) and its If-Match version, for a write."""
        body = self.load_object(request)
        obj = self.get_object_for_write()
        adapter = self.adapter_class(obj, request=request)
        adapter.expected_version = self.check_if_match(obj)
        return adapter, body

    def patch(self, request, uuid=None, *args, **kwargs):
        if not uuid:
            raise ScimError(405, f"PATCH needs a {self.noun} id.")
        return self.write(Operation.PATCH, lambda: self._patch(request))

    def _patch(self, request) -> HttpResponse:
        adapter, body = self._adapter_for_write(request)
        adapter.handle_operations(ci_get(body, "Operations"))
        return self.patch_response(adapter)

    def delete(self, request, uuid=None, *args, **kwargs):
        if not uuid:
            raise ScimError(405, f"DELETE needs a {self.noun} id.")
        return self.write(Operation.DELETE, lambda: self._delete(request))

    def _delete(self, request) -> HttpResponse:
        obj = self.get_object_for_write()
        self.check_if_match(obj)
        self.adapter_class(obj, request=request).delete()
        return HttpResponse(status=204)
