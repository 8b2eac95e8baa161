"""SCIM 2.0 views: django-scim2's views with ORM filtering, bounded paging, ETags and transactions.

Each write runs in one transaction on its handler method (not around dispatch, which turns
exceptions into responses and would otherwise commit half-done work).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import View
from django_scim import views as scim_views
from django_scim.constants import SCIM_CONTENT_TYPE, SchemaURI
from django_scim.settings import scim_settings

from alexis.request_input import InputError, check_json_text, check_query, load_json
from employees.models import Employee
from employees.selectors import employee_locked, employee_queryset
from scim_api import discovery
from scim_api.adapters import EmployeeAdapter, TeamAdapter, ci_get, etag
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
from scim_api.filters import (
    CORE_GROUP,
    CORE_USER,
    ENTERPRISE_USER,
    Field,
    group_filter_q,
    parse_attr_ref,
    resolve_group_attribute,
    resolve_user_attribute,
    user_filter_q,
)
from scim_api.outcome import Operation, outcome_complete, outcome_for
from teams.models import Team
from teams.selectors import employee_team_summaries, team_member_summaries, team_queryset

logger = logging.getLogger(__name__)

# Offsets beyond this cannot hold employees; skip the page query instead of overflowing it.
MAX_OFFSET = 2**31
_INTEGER = re.compile(r"[+-]?[0-9]{1,30}")
# Query parameters and body attributes whose strings are SCIM expressions with JSON-quoted
# values: their escapes must decode to storable text too (RFC 7644 §3.4.2.2, §3.5.2).
EXPRESSION_KEYS = ("filter", "path")


def scim_response(doc: Any, status: int = 200, headers: dict[str, str] | None = None):
    response = HttpResponse(json.dumps(doc), content_type=SCIM_CONTENT_TYPE, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# ---------------------------------------------------------------------------------------------
# List parameters (RFC 7644 §3.4.2)


def _int_param(raw: Any, name: str, default: int) -> int:
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        raise invalid_value(f"{name} must be an integer.")
    if isinstance(raw, int):
        return raw
    # ASCII digits only: str.isdigit() also accepts superscripts ("²"), which int() refuses.
    if isinstance(raw, str) and _INTEGER.fullmatch(text := raw.strip()):
        return int(text)
    raise invalid_value(f"{name} must be an integer.")


def _names(raw: Any, name: str) -> list[str]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        return [part.strip() for part in raw.split(",") if part.strip()]
    if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        return [item.strip() for item in raw if item.strip()]
    raise invalid_value(f"{name} must be a comma-separated list of attribute names.")


@dataclass
class ListParams:
    filter: str | None
    start_index: int
    count: int
    sort_by: str | None
    descending: bool
    attributes: list[str]
    excluded: list[str]

    @classmethod
    def from_source(cls, source: dict) -> ListParams:
        """Read paging, sorting and projection parameters from a query string or search body."""
        query = ci_get(source, "filter")
        if query is not None and not isinstance(query, str):
            raise ScimError(400, "filter must be a string.", "invalidFilter")
        start = max(1, _int_param(ci_get(source, "startIndex"), "startIndex", 1))
        count = _int_param(ci_get(source, "count"), "count", discovery.DEFAULT_COUNT)
        count = min(max(0, count), discovery.MAX_RESULTS)
        sort_by = ci_get(source, "sortBy")
        if sort_by is not None and not isinstance(sort_by, str):
            raise invalid_value("sortBy must be an attribute name.")
        order = ci_get(source, "sortOrder")
        if order not in (None, "") and (
            not isinstance(order, str) or order.lower() not in ("ascending", "descending")
        ):
            raise invalid_value("sortOrder must be ascending or descending.")
        return cls(
            filter=query.strip() if query and query.strip() else None,
            start_index=start,
            count=count,
            sort_by=sort_by or None,
            descending=bool(order) and order.lower() == "descending",
            attributes=_names(ci_get(source, "attributes"), "attributes"),
            excluded=_names(ci_get(source, "excludedAttributes"), "excludedAttributes"),
        )


# ---------------------------------------------------------------------------------------------
# attributes / excludedAttributes (RFC 7644 §3.9)

# Attributes returned whatever attributes/excludedAttributes say (RFC 7643 §7 "always").
ALWAYS_RETURNED = ("schemas", "id", "userName")
GROUP_ALWAYS_RETURNED = ("schemas", "id", "displayName")


def wants_members(params: ListParams) -> bool:
    """Whether a Group projection returns members (so that they must be read at all)."""

    def names_members(name: str, *, whole: bool) -> bool:
        spec = _projection_spec(name, CORE_GROUP)
        if spec is None or (spec[1] or "").lower() != "members":
            return False
        return spec[2] is None or not whole

    if params.attributes:
        return any(names_members(name, whole=False) for name in params.attributes)
    return not any(names_members(name, whole=True) for name in params.excluded)


def _projection_spec(
    name: str, core: str = CORE_USER
) -> tuple[str | None, str | None, str | None] | None:
    """Return (container, attribute, sub-attribute) for a projection name, None if invalid."""
    extension = ENTERPRISE_USER if core == CORE_USER else None
    if extension and name.lower() == extension.lower():
        return (extension, None, None)
    try:
        ref = parse_attr_ref(name)
    except ScimError:
        return None
    if extension and ref.uri and ref.uri.lower() == extension.lower():
        return (extension, ref.attr, ref.sub)
    if ref.uri and ref.uri.lower() != core.lower():
        return None
    return (None, ref.attr, ref.sub)


def _key(mapping: dict, name: str) -> str | None:
    lowered = name.lower()
    return next((k for k in mapping if k.lower() == lowered), None)


def _copy(source: dict, target: dict, attr: str | None, sub: str | None) -> None:
    if attr is None:
        target.update(source)
        return
    key = _key(source, attr)
    if key is None:
        return
    value = source[key]
    if sub is None:
        target[key] = value
    elif isinstance(value, dict):
        sub_key = _key(value, sub)
        if sub_key is not None:
            target.setdefault(key, {})[sub_key] = value[sub_key]
    elif isinstance(value, list):
        existing = target.get(key) or [{} for _ in value]
        for element, picked in zip(value, existing, strict=False):
            sub_key = _key(element, sub)
            if sub_key is not None:
                picked[sub_key] = element[sub_key]
        target[key] = existing


def _drop(target: dict, attr: str | None, sub: str | None, always: tuple[str, ...]) -> None:
    if attr is None:
        target.clear()
        return
    key = _key(target, attr)
    if key is None or key in always:
        return
    if sub is None:
        del target[key]
        return
    value = target[key]
    elements = value if isinstance(value, list) else [value]
    for element in elements:
        if isinstance(element, dict) and (sub_key := _key(element, sub)) is not None:
            del element[sub_key]


def project(
    resource: dict, attributes: list[str], excluded: list[str], core: str = CORE_USER
) -> dict:
    """Keep only the requested attributes, or drop the excluded ones; id and schemas stay."""
    always = ALWAYS_RETURNED if core == CORE_USER else GROUP_ALWAYS_RETURNED
    if attributes:
        out = {k: resource[k] for k in always if k in resource}
        for name in attributes:
            spec = _projection_spec(name, core)
            if spec is None:
                continue
            container, attr, sub = spec
            source = resource if container is None else resource.get(container)
            if not isinstance(source, dict):
                continue
            target = out if container is None else out.setdefault(container, {})
            _copy(source, target, attr, sub)
        if ENTERPRISE_USER in out and not out[ENTERPRISE_USER]:
            del out[ENTERPRISE_USER]
        return out
    if excluded:
        out = json.loads(json.dumps(resource))
        for name in excluded:
            spec = _projection_spec(name, core)
            if spec is None:
                continue
            container, attr, sub = spec
            if container is None:
                _drop(out, attr, sub, always)
            elif isinstance(out.get(container), dict):
                _drop(out[container], attr, sub, always)
                if not out[container]:
                    del out[container]
        return out
    return resource


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


def _sort_order(
    sort_by: str | None,
    descending: bool,
    resolve: Callable[[Any], Field] = resolve_user_attribute,
) -> list:
    if not sort_by:
        return ["pk"]
    try:
        field: Field = resolve(parse_attr_ref(sort_by))
    except ScimError:
        raise invalid_value(f"sortBy: cannot sort by {sort_by!r}.") from None
    # Multi-valued attributes (a team's members) have no single value to sort on.
    if field.kind == "const" or not field.orm or field.orm.startswith("memberships"):
        return ["pk"]
    tiebreak = "-pk" if descending else "pk"
    if field.kind == "ci":
        expression = Lower(field.orm)
        return [expression.desc() if descending else expression.asc(), tiebreak]
    return [f"-{field.orm}" if descending else field.orm, tiebreak]


class UserListMixin:
    """Filtered, sorted, paged User lists with a COUNT and LIMIT/OFFSET (RFC 7644 §3.4.2)."""

    def list_users(self, request: HttpRequest, params: ListParams) -> HttpResponse:
        qs = employee_queryset()
        if params.filter:
            qs = qs.filter(user_filter_q(params.filter))
        order = _sort_order(params.sort_by, params.descending)
        offset = params.start_index - 1
        page: list[Employee] = []
        if params.count and offset < MAX_OFFSET:
            ordered = qs.order_by(*order)
            if offset:
                # Skip rows on the ids alone, then join managers for the page only: an
                # OFFSET over the joined rows would join every skipped row too.
                ids = ordered.values("pk")[offset : offset + params.count]
                ordered = employee_queryset().filter(pk__in=ids).order_by(*order)
                page = list(ordered)
            else:
                page = list(ordered[: params.count])
        # When the whole result fits on the first page, its length is the total: no COUNT.
        total = len(page) if offset == 0 and len(page) < params.count else qs.count()
        groups = employee_team_summaries(employee_ids=[e.pk for e in page]) if page else {}
        resources = [
            project(
                EmployeeAdapter(employee, request=request, groups=groups[employee.pk]).to_dict(),
                params.attributes,
                params.excluded,
            )
            for employee in page
        ]
        return scim_response(
            {
                "schemas": [SchemaURI.LIST_RESPONSE],
                "totalResults": total,
                "startIndex": params.start_index,
                "itemsPerPage": len(resources),
                "Resources": resources,
            }
        )


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
        body = self.load_object(request)
        obj = self.get_object_for_write()
        adapter = self.adapter_class(obj, request=request)
        adapter.expected_version = self.check_if_match(obj)
        adapter.from_dict(body)
        adapter.save()
        return self.resource_response(adapter)

    def patch(self, request, uuid=None, *args, **kwargs):
        if not uuid:
            raise ScimError(405, f"PATCH needs a {self.noun} id.")
        return self.write(Operation.PATCH, lambda: self._patch(request))

    def _patch(self, request) -> HttpResponse:
        body = self.load_object(request)
        obj = self.get_object_for_write()
        adapter = self.adapter_class(obj, request=request)
        adapter.expected_version = self.check_if_match(obj)
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


class UsersView(WriteMixin, ScimViewMixin, UserListMixin, scim_views.UsersView):
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
            resource = project(resource, params.attributes, params.excluded)
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
        return self.list_users(request, ListParams.from_source(request.GET))


def _search_source(view: ScimViewMixin, request: HttpRequest) -> dict:
    body = view.load_object(request)
    schemas = ci_get(body, "schemas")
    if not isinstance(schemas, list) or SchemaURI.SERACH_REQUEST not in schemas:
        raise bad_request(f"schemas must contain {SchemaURI.SERACH_REQUEST}.", "invalidValue")
    return body


class UserSearchView(ScimViewMixin, UserListMixin, scim_views.UserSearchView):
    """POST /Users/.search (RFC 7644 §3.4.3)."""

    operation = Operation.SEARCH

    def post(self, request, *args, **kwargs):
        return self.list_users(request, ListParams.from_source(_search_source(self, request)))


class GroupListMixin:
    """Filtered, sorted, paged Group lists; members read in one query per page, if at all."""

    def list_groups(self, request: HttpRequest, params: ListParams) -> HttpResponse:
        qs = team_queryset()
        if params.filter:
            # A members filter joins memberships: match in a subquery so no team repeats.
            qs = qs.filter(pk__in=Team.objects.filter(group_filter_q(params.filter)).values("pk"))
        order = _sort_order(params.sort_by, params.descending, resolve_group_attribute)
        offset = params.start_index - 1
        page: list[Team] = []
        if params.count and offset < MAX_OFFSET:
            page = list(qs.order_by(*order)[offset : offset + params.count])
        total = len(page) if offset == 0 and len(page) < params.count else qs.count()
        include_members = wants_members(params)
        members = (
            team_member_summaries(team_ids=[t.pk for t in page]) if include_members and page else {}
        )
        resources = [
            project(
                TeamAdapter(team, request=request, members=members.get(team.pk)).to_dict(
                    include_members=include_members
                ),
                params.attributes,
                params.excluded,
                CORE_GROUP,
            )
            for team in page
        ]
        return scim_response(
            {
                "schemas": [SchemaURI.LIST_RESPONSE],
                "totalResults": total,
                "startIndex": params.start_index,
                "itemsPerPage": len(resources),
                "Resources": resources,
            }
        )


def _projection_asked(request: HttpRequest) -> bool:
    return any(ci_get(request.GET, name) for name in ("attributes", "excludedAttributes"))


class GroupsView(WriteMixin, ScimViewMixin, GroupListMixin, scim_views.GroupsView):
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
            params.attributes,
            params.excluded,
            CORE_GROUP,
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
        return self.list_groups(request, params)

    def patch_response(self, adapter: TeamAdapter) -> HttpResponse:
        if _projection_asked(self.request):
            return self.resource_response(adapter)
        # Entra expects 204 for group PATCH (its membership changes can be large).
        response = HttpResponse(status=204)
        response["ETag"] = etag(adapter.obj)
        return response


class GroupSearchView(ScimViewMixin, GroupListMixin, scim_views.GroupSearchView):
    """POST /Groups/.search (RFC 7644 §3.4.3)."""

    operation = Operation.SEARCH

    def post(self, request, *args, **kwargs):
        return self.list_groups(request, ListParams.from_source(_search_source(self, request)))


class ServiceProviderConfigView(ScimViewMixin, scim_views.ServiceProviderConfigView):
    operation = Operation.DISCOVERY

    def get(self, request, *args, **kwargs):
        return scim_response(discovery.ServiceProviderConfig(request=request).to_dict())


def _discovery_list(resources: list[dict]) -> HttpResponse:
    return scim_response(
        {
            "schemas": [SchemaURI.LIST_RESPONSE],
            "totalResults": len(resources),
            "startIndex": 1,
            "itemsPerPage": len(resources),
            "Resources": resources,
        }
    )


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
