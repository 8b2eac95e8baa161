"""SCIM 2.0 views: django-scim2's views and URLs with Alexis's dispatch, reads and lists.

What these views change in django-scim2, and why, is said once in the package docstring
(scim_api/__init__.py); writes are in writes.py, lists in listing.py.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import View
from django_scim import views as scim_views
from django_scim.constants import SchemaURI
from django_scim.settings import scim_settings

from alexis.request_input import InputError, check_json_text, check_query, load_json
from employees.models import Employee
from employees.selectors import employee_if_live, employee_locked
from scim_api import discovery
from scim_api.catalogue import group_catalogue, user_catalogue
from scim_api.errors import (
    ScimError,
    bad_request,
    error_response,
    from_exception,
    invalid_filter,
    invalid_path,
    invalid_value,
    not_found,
)
from scim_api.groups import TeamAdapter
from scim_api.listing import (
    ListParams,
    list_groups,
    list_response,
    list_users,
    project,
    scim_response,
    user_queryset,
    wants_members,
)
from scim_api.locations import etag
from scim_api.outcome import Operation, outcome_for
from scim_api.patch import ci_get
from scim_api.users import EmployeeAdapter
from scim_api.writes import WriteMixin, found, resource_key
from teams.models import Team
from teams.selectors import in_team_annotation, team_queryset

logger = logging.getLogger(__name__)

# Query parameters and body attributes whose strings are SCIM expressions with JSON-quoted
# values: their escapes must decode to storable text too (RFC 7644 §3.4.2.2, §3.5.2).
EXPRESSION_KEYS = ("filter", "path")

# ---------------------------------------------------------------------------------------------
# Base view


def _input_error(exc: InputError) -> ScimError:
    """Name the parameter or attribute; a filter's problem is invalidFilter (RFC 7644 §3.12)."""
    if exc.name.lower() == "filter":
        return invalid_filter(str(exc))
    if exc.name.lower().endswith("path"):
        return invalid_path(str(exc))
    return invalid_value(str(exc))


def _check_query(request: HttpRequest) -> None:
    try:
        check_query(request.GET, escaped_keys=EXPRESSION_KEYS)
    except InputError as exc:
        raise _input_error(exc) from None


class ScimViewMixin:
    """Error handling, body parsing and the per-request outcome shared by every SCIM view."""

    operation = Operation.UNSUPPORTED

    @method_decorator(csrf_exempt)
    def dispatch(self, request: HttpRequest, *args, **kwargs):
        """Check the token, the query and the request inside one error handler.

        Whatever fails (a refused token, bad input, an unavailable database) is answered with
        a SCIM error and recorded in the provisioning log when the log can be written.
        """
        outcome = outcome_for(request)
        auth_check = scim_settings.AUTH_CHECK_MIDDLEWARE()
        try:
            response = auth_check.process_request(request)
            if response is None:
                if outcome.operation is None:
                    outcome.operation = self.operation
                _check_query(request)
                response = View.dispatch(self, request, *args, **kwargs)
        except Exception as exc:
            error = from_exception(exc)
            if error.status == 500:
                logger.exception("SCIM request failed: %s %s", request.method, request.path)
            outcome.scim_type = error.scim_type
            outcome.detail = error.detail
            response = error_response(error)
        try:
            return auth_check.process_response(request, response)
        except DatabaseError:
            # The answer (often a 503 for this very reason) matters more than its log entry.
            logger.warning(
                "Cannot record a provisioning event for %s %s: the database is unavailable.",
                request.method,
                request.path,
                exc_info=True,
            )
            return response

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
            data = load_json(text)
        except ValueError:
            raise bad_request("The request body is not valid JSON.", "invalidSyntax") from None
        try:
            check_json_text(data, escaped_keys=EXPRESSION_KEYS)
        except InputError as exc:
            raise _input_error(exc) from None
        return data

    def load_object(self, request: HttpRequest) -> dict:
        body = self.load_body(request.body)
        if not isinstance(body, dict):
            raise bad_request("The request body must be a JSON object.", "invalidSyntax")
        return body

    def status_501(self, request, *args, **kwargs):
        raise ScimError(501, "This endpoint is not supported by Alexis.")


class UsersView(WriteMixin, ScimViewMixin, scim_views.UsersView):
    """/Users and /Users/{id}: list, filter, read, create, replace, patch, delete."""

    noun = "user"
    adapter_class = EmployeeAdapter
    resource_model = Employee

    def get_object_for_write(self) -> Employee:
        return self.get_object(for_update=True)

    def get_object(self, *, for_update: bool = False) -> Employee:
        """Return the non-deleted employee named in the URL, locked for writes, or 404."""
        key = resource_key(self)
        if for_update:
            # The services write this locked row as it is, without reading it again.
            locked = employee_locked(public_id=key, annotations=in_team_annotation())
            return found(self, locked, "User")
        # See employee_if_live for why deleted rows are left out afterwards.
        qs = user_queryset(include_deleted=True).filter(public_id=key)
        return found(self, employee_if_live(next(iter(qs.order_by()[:1]), None)), "User")

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
        key = resource_key(self)
        return found(
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
