"""SCIM 2.0 views: django-scim2's views and URLs with Alexis's dispatch, writes and lists.

What these views change in django-scim2, and why, is said once in the package docstring
(scim_api/__init__.py). Each write runs in one transaction on its handler method (not around
dispatch, which turns exceptions into responses and would otherwise commit half-done work).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import View
from django_scim import views as scim_views
from django_scim.constants import SchemaURI
from django_scim.settings import scim_settings

from employees.models import Employee
from employees.selectors import employee_locked, employee_queryset
from scim_api import discovery
from scim_api.catalogue import group_catalogue, user_catalogue
from scim_api.errors import ScimError, bad_request, error_response, from_exception, not_found
from scim_api.groups import TeamAdapter
from scim_api.listing import (
    ListParams,
    list_groups,
    list_response,
    list_users,
    project,
    scim_response,
    wants_members,
)
from scim_api.locations import etag
from scim_api.outcome import Operation, outcome_complete, outcome_for
from scim_api.patch import ci_get
from scim_api.users import EmployeeAdapter
from teams.models import Team
from teams.selectors import team_queryset

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Base view


class ScimViewMixin:
    """Error handling, body parsing and the per-request outcome shared by every SCIM view."""

    operation = Operation.UNSUPPORTED

    @method_decorator(csrf_exempt)
    @method_decorator(scim_settings.AUTH_CHECK_MIDDLEWARE)
    def dispatch(self, request: HttpRequest, *args, **kwargs):
        outcome = outcome_for(request)
        if outcome.operation is None:
            outcome.operation = self.operation
        try:
            return View.dispatch(self, request, *args, **kwargs)
        except Exception as exc:
            error = from_exception(exc)
            if error.status == 500:
                logger.exception("SCIM request failed: %s %s", request.method, request.path)
            outcome.scim_type = error.scim_type
            outcome.detail = error.detail
            return error_response(error)

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise ScimError(405, f"{request.method} is not supported here.")

    def load_body(self, body: bytes) -> Any:
        """Parse a JSON request body (application/scim+json or application/json)."""
        try:
            text = body.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise bad_request("The request body must be UTF-8 JSON.", "invalidSyntax") from None
        if not text:
            raise bad_request("The request body is empty.", "invalidSyntax")
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            raise bad_request("The request body is not valid JSON.", "invalidSyntax") from None

    def load_object(self, request: HttpRequest) -> dict:
        body = self.load_body(request.body)
        if not isinstance(body, dict):
            raise bad_request("The request body must be a JSON object.", "invalidSyntax")
        return body

    def status_501(self, request, *args, **kwargs):
        raise ScimError(501, "This endpoint is not supported by Alexis.")


def _if_match_versions(request: HttpRequest) -> list[str] | None:
    header = request.META.get("HTTP_IF_MATCH")
    if header is None:
        return None
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def _resource_key(view) -> uuid.UUID:
    """Return the id in the URL as a UUID; anything else names no resource (404)."""
    resource_id = view.kwargs.get("uuid") or ""
    try:
        return uuid.UUID(resource_id)
    except ValueError:
        raise not_found(resource_id) from None


def _found(view, obj: Employee | Team | None, resource_type: str) -> Employee | Team:
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


class UsersView(WriteMixin, ScimViewMixin, scim_views.UsersView):
    """/Users and /Users/{id}: list, filter, read, create, replace, patch, delete."""

    noun = "user"
    adapter_class = EmployeeAdapter
    resource_model = Employee

    def get_object_for_write(self) -> Employee:
        return self.get_object(for_update=True)

    def get_object(self, *, for_update: bool = False) -> Employee:
        """Return the non-deleted employee named in the URL, locked for writes, or 404."""
        key = _resource_key(self)
        if for_update:
            # The services write this locked row as it is, without reading it again.
            return _found(self, employee_locked(public_id=key), "User")
        qs = employee_queryset().filter(public_id=key)
        return _found(self, next(iter(qs.order_by()[:1]), None), "User")

    def resource_response(
        self, adapter: EmployeeAdapter, status: int = 200, params: ListParams | None = None
    ) -> HttpResponse:
        resource = adapter.to_dict()
        if params is not None:
            resource = project(resource, params, user_catalogue(self.request))
        return scim_response(
            resource,
            status=status,
            headers={"Location": adapter.location, "ETag": etag(adapter.obj)},
        )

    def get(self, request, uuid=None, *args, **kwargs):
        if uuid:
            outcome_for(request).operation = Operation.READ
            params = ListParams.from_source(request.GET)
            adapter = EmployeeAdapter(self.get_object(), request=request)
            return self.resource_response(adapter, params=params)
        outcome_for(request).operation = Operation.LIST
        return list_users(request, ListParams.from_source(request.GET))


def _search_source(view: ScimViewMixin, request: HttpRequest) -> dict:
    body = view.load_object(request)
    schemas = ci_get(body, "schemas")
    if not isinstance(schemas, list) or SchemaURI.SERACH_REQUEST not in schemas:
        raise bad_request(f"schemas must contain {SchemaURI.SERACH_REQUEST}.", "invalidValue")
    return body


class UserSearchView(ScimViewMixin, scim_views.UserSearchView):
    """POST /Users/.search (RFC 7644 §3.4.3)."""

    operation = Operation.SEARCH

    def post(self, request, *args, **kwargs):
        return list_users(request, ListParams.from_source(_search_source(self, request)))


def _projection_asked(request: HttpRequest) -> bool:
    return any(ci_get(request.GET, name) for name in ("attributes", "excludedAttributes"))


class GroupsView(WriteMixin, ScimViewMixin, scim_views.GroupsView):
    """/Groups and /Groups/{id}: Entra groups as teams (RFC 7644 §3; Entra's PATCH shapes)."""

    noun = "group"
    adapter_class = TeamAdapter
    resource_model = Team
    http_method_names = ["get", "post", "put", "patch", "delete"]

    def get_object(self) -> Team:
        """Return the non-deleted team named in the URL, or 404."""
        key = _resource_key(self)
        return _found(
            self, next(iter(team_queryset().filter(public_id=key).order_by()[:1]), None), "Group"
        )

    def resource_response(
        self, adapter: TeamAdapter, status: int = 200, params: ListParams | None = None
    ) -> HttpResponse:
        params = params or ListParams.from_source(self.request.GET)
        resource = project(
            adapter.to_dict(include_members=wants_members(params)),
            params,
            group_catalogue(self.request),
        )
        return scim_response(
            resource,
            status=status,
            headers={"Location": adapter.location, "ETag": etag(adapter.obj)},
        )

    def get(self, request, uuid=None, *args, **kwargs):
        params = ListParams.from_source(request.GET)
        if uuid:
            outcome_for(request).operation = Operation.READ
            return self.resource_response(
                TeamAdapter(self.get_object(), request=request), params=params
            )
        outcome_for(request).operation = Operation.LIST
        return list_groups(request, params)

    def patch_response(self, adapter: TeamAdapter) -> HttpResponse:
        if _projection_asked(self.request):
            return self.resource_response(adapter)
        # Entra expects 204 for group PATCH (its membership changes can be large).
        response = HttpResponse(status=204)
        response["ETag"] = etag(adapter.obj)
        return response


class GroupSearchView(ScimViewMixin, scim_views.GroupSearchView):
    """POST /Groups/.search (RFC 7644 §3.4.3)."""

    operation = Operation.SEARCH

    def post(self, request, *args, **kwargs):
        return list_groups(request, ListParams.from_source(_search_source(self, request)))


class ServiceProviderConfigView(ScimViewMixin, scim_views.ServiceProviderConfigView):
    operation = Operation.DISCOVERY

    def get(self, request, *args, **kwargs):
        return scim_response(discovery.ServiceProviderConfig(request=request).to_dict())


def _discovery_list(resources: list[dict]) -> HttpResponse:
    return list_response(len(resources), 1, resources)


class ResourceTypesView(ScimViewMixin, scim_views.ResourceTypesView):
    operation = Operation.DISCOVERY

    def get(self, request, uuid=None, *args, **kwargs):
        types = discovery.resource_types(request)
        if uuid:
            found = next((t for t in types if t["id"] == uuid), None)
            if found is None:
                raise not_found(uuid)
            return scim_response(found)
        return _discovery_list(types)


class SchemasView(ScimViewMixin, scim_views.SchemasView):
    operation = Operation.DISCOVERY

    def get(self, request, uuid=None, *args, **kwargs):
        documents = discovery.schemas(request)
        if uuid:
            found = next((s for s in documents if s["id"].lower() == uuid.lower()), None)
            if found is None:
                raise not_found(uuid)
            return scim_response(found)
        return _discovery_list(documents)


class NotImplementedView(ScimViewMixin, scim_views.SCIMView):
    """Me, Bulk and the root search: 501 with a SCIM error body (RFC 7644 §3.11, §3.7)."""

    http_method_names = ["get", "post", "put", "patch", "delete"]

    def get(self, request, *args, **kwargs):
        raise ScimError(501, "This endpoint is not supported by Alexis.")

    post = put = patch = delete = get


class NotFoundView(ScimViewMixin, scim_views.SCIMView):
    """Any other path under the SCIM root: 404 with a SCIM error body."""

    http_method_names = ["get", "post", "put", "patch", "delete"]

    def get(self, request, *args, **kwargs):
        raise ScimError(404, "There is no SCIM endpoint at this path.")

    post = put = patch = delete = get
