"""SCIM list requests (RFC 7644 §3.4.2, §3.4.3, §3.9): paging, sorting and projection.

Lists are filtered with the catalogue (filters.py), sorted on the catalogue's ORM paths,
paged with LIMIT/OFFSET (the offset applied to ids alone for Users, so that skipped rows are
not joined) and counted only when the page does not already tell the total.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django_scim.constants import SCIM_CONTENT_TYPE, SchemaURI
from scim2_models.path import ValuePath

from employees.models import Employee
from employees.selectors import employee_queryset, with_manager_reference
from scim_api import discovery
from scim_api.attributes import Catalogue
from scim_api.catalogue import group_catalogue, user_catalogue
from scim_api.errors import ScimError, invalid_value
from scim_api.filters import group_filter_q, parse_path, user_filter_q
from scim_api.groups import TeamAdapter
from scim_api.patch import ci_get
from scim_api.users import EmployeeAdapter
from teams.models import Team
from teams.selectors import (
    employee_team_summaries,
    in_team_annotation,
    team_member_summaries,
    team_queryset,
)


def scim_response(doc: Any, status: int = 200, headers: dict[str, str] | None = None):
    response = HttpResponse(json.dumps(doc), content_type=SCIM_CONTENT_TYPE, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# Offsets beyond this cannot hold employees; skip the page query instead of overflowing it.
MAX_OFFSET = 2**31
_INTEGER = re.compile(r"[+-]?[0-9]{1,30}")


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
        spec = _projection_spec(name, group_catalogue())
        if spec is None or (spec[1] or "").lower() != "members":
            return False
        return spec[2] is None or not whole

    if params.attributes:
        return any(names_members(name, whole=False) for name in params.attributes)
    return not any(names_members(name, whole=True) for name in params.excluded)


def _projection_spec(
    name: str, catalogue: Catalogue
) -> tuple[str | None, str | None, str | None] | None:
    """Return (container, attribute, sub-attribute) for a projection name, None if invalid."""
    if name.lower() in catalogue.extension_ids:
        return (catalogue.extension_ids[name.lower()], None, None)
    try:
        path = parse_path(name)
    except ScimError:
        return None
    if not hasattr(path, "sub_attr") or hasattr(path, "val_filter"):
        return None
    if path.uri and path.uri.lower() in catalogue.extension_ids:
        return (catalogue.extension_ids[path.uri.lower()], path.attr, path.sub_attr)
    if path.uri and path.uri.lower() != catalogue.core.lower():
        return None
    return (None, path.attr, path.sub_attr)


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


def _always(catalogue: Catalogue) -> tuple[str, ...]:
    """Attributes returned whatever attributes/excludedAttributes say (RFC 7643 §7 "always")."""
    return (
        "schemas",
        *(a.name for a in catalogue.attributes if a.sub is None and a.returned == "always"),
    )


def project(resource: dict, params: ListParams, catalogue: Catalogue) -> dict:
    """Keep only the requested attributes, or drop the excluded ones (RFC 7644 §3.9)."""
    always = _always(catalogue)
    if params.attributes:
        out = {k: resource[k] for k in always if k in resource}
        for name in params.attributes:
            spec = _projection_spec(name, catalogue)
            if spec is None:
                continue
            container, attr, sub = spec
            source = resource if container is None else resource.get(container)
            if not isinstance(source, dict):
                continue
            target = out if container is None else out.setdefault(container, {})
            _copy(source, target, attr, sub)
        for extension in catalogue.extension_ids.values():
            if extension in out and not out[extension]:
                del out[extension]
        return out
    if params.excluded:
        out = json.loads(json.dumps(resource))
        for name in params.excluded:
            spec = _projection_spec(name, catalogue)
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


def sort_order(sort_by: str | None, descending: bool, catalogue: Catalogue) -> list:
    """Return the ORDER BY of a sortBy (RFC 7644 §3.4.2.3); ties by primary key."""
    if not sort_by:
        return ["pk"]
    try:
        path = parse_path(sort_by)
    except ScimError:
        path = None
    attribute = None
    if isinstance(path, ValuePath):  # emails[type eq "work"].value: the one Alexis keeps
        attribute = catalogue.get(path.attr_path.uri, path.attr_path.attr, path.sub_attr)
    elif path is not None:
        attribute = catalogue.get(path.uri, path.attr, path.sub_attr)
    if attribute is None or not attribute.kind:
        raise invalid_value(f"sortBy: cannot sort by {sort_by!r}.")
    # Multi-valued attributes (a team's members) have no single value to sort on.
    if not attribute.sortable or not attribute.orm_path:
        return ["pk"]
    orm = attribute.orm_path
    tiebreak = "-pk" if descending else "pk"
    if attribute.kind == "ci":
        expression = Lower(orm)
        return [expression.desc() if descending else expression.asc(), tiebreak]
    return [f"-{orm}" if descending else orm, tiebreak]


def list_response(total: int, start_index: int, resources: list[dict]) -> HttpResponse:
    return scim_response(
        {
            "schemas": [SchemaURI.LIST_RESPONSE],
            "totalResults": total,
            "startIndex": start_index,
            "itemsPerPage": len(resources),
            "Resources": resources,
        }
    )


def user_queryset(*, include_deleted: bool = False) -> QuerySet[Employee]:
    """Employees as User answers read them, with in_team and only the manager's reference.

    Loading the whole manager (its JSON and date columns decoded) cost a tenth of a page.
    """
    qs = employee_queryset(include_deleted=include_deleted)
    return with_manager_reference(qs).annotate(**in_team_annotation())


def list_users(request: HttpRequest, params: ListParams) -> HttpResponse:
    """Return a filtered, sorted page of Users with a COUNT only when needed."""
    catalogue = user_catalogue(request)
    qs = user_queryset()
    if params.filter:
        qs = qs.filter(user_filter_q(params.filter, request))
    order = sort_order(params.sort_by, params.descending, catalogue)
    offset = params.start_index - 1
    page: list[Employee] = []
    if params.count and offset < MAX_OFFSET:
        ordered = qs.order_by(*order)
        if offset:
            # Skip rows on the ids alone, then join managers for the page only: an
            # OFFSET over the joined rows would join every skipped row too. The ids are
            # fetched first, so that each query's plan is simple whatever the planner's
            # statistics say: as a subquery (id IN (SELECT ... OFFSET)) a never-analysed
            # table got a nested loop that read the skipped rows once per page row.
            ids = list(ordered.values_list("pk", flat=True)[offset : offset + params.count])
            rows = user_queryset().filter(pk__in=ids)
            page = list(rows.order_by(*order)) if ids else []
        else:
            page = list(ordered[: params.count])
    # When the whole result fits on the first page, its length is the total: no COUNT.
    total = len(page) if offset == 0 and len(page) < params.count else qs.count()
    # Teams are read only for people the page's own query found in one.
    groups = employee_team_summaries(employee_ids=[e.pk for e in page if e.in_team])
    resources = [
        project(
            EmployeeAdapter(
                employee, request=request, groups=groups.get(employee.pk, [])
            ).to_dict(),
            params,
            catalogue,
        )
        for employee in page
    ]
    return list_response(total, params.start_index, resources)


def list_groups(request: HttpRequest, params: ListParams) -> HttpResponse:
    """Return a filtered, sorted page of Groups; members read in one query, if at all."""
    catalogue = group_catalogue(request)
    qs = team_queryset()
    if params.filter:
        # A members filter joins memberships: match in a subquery so no team repeats.
        qs = qs.filter(pk__in=Team.objects.filter(group_filter_q(params.filter)).values("pk"))
    order = sort_order(params.sort_by, params.descending, catalogue)
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
            params,
            catalogue,
        )
        for team in page
    ]
    return list_response(total, params.start_index, resources)
