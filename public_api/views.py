"""Public REST API views: translate requests into selector and service calls."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import Resolver404, resolve, reverse
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from custom_fields.selectors import custom_field_list
from employees.models import Channel, Employee
from employees.selectors import (
    employee_direct_reports,
    employee_get,
    employee_queryset,
)
from employees.services import Actor
from organisation.selectors import department_api_list
from public_api.filters import (
    CUSTOM_PREFIX,
    FILTER_FIELDS,
    TEAM_DEFAULT_ORDERING,
    TEAM_FILTER_FIELDS,
    TEAM_SORT_FIELDS,
    FilterField,
    ListQuery,
    QueryParameterError,
    custom_filter_fields,
    parse_list_query,
)
from public_api.schema import (
    ID_PARAMETER,
    LIST_PARAMETERS,
    SELECT_PARAMETER,
    TEAM_ID_PARAMETER,
    TEAM_LIST_PARAMETERS,
    TEAM_SELECT_PARAMETER,
    EnvelopeAutoSchema,
    error_responses,
)
from public_api.serializers import (
    DepartmentSerializer,
    EmployeeSerializer,
    TeamSerializer,
    employee_select_fields,
    team_select_fields,
)
from teams.models import Team
from teams.selectors import (
    team_get,
    team_list_with_counts,
    team_member_counts,
    team_members,
    team_queryset,
)

EmployeePage = inline_serializer(
    "EmployeePage",
    {
        "count": serializers.IntegerField(help_text="How many employees match in total."),
        "limit": serializers.IntegerField(),
        "offset": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True, help_text="The next page, or null."),
        "previous": serializers.URLField(allow_null=True, help_text="The previous page."),
        "results": EmployeeSerializer(many=True),
    },
)

TeamPage = inline_serializer(
    "TeamPage",
    {
        "count": serializers.IntegerField(help_text="How many teams match in total."),
        "limit": serializers.IntegerField(),
        "offset": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True, help_text="The next page, or null."),
        "previous": serializers.URLField(allow_null=True, help_text="The previous page."),
        "results": TeamSerializer(many=True),
    },
)

DepartmentList = inline_serializer(
    "DepartmentList",
    {
        "count": serializers.IntegerField(),
        "results": DepartmentSerializer(many=True),
    },
)


def _employee_filter_fields(request: Request) -> dict[str, FilterField]:
    """The employee's filterable fields, with the custom fields when a filter names one."""
    wanted = f"filter[{CUSTOM_PREFIX}"
    if not any(name.startswith(wanted) for name in request.query_params):
        return FILTER_FIELDS  # no query for definitions
    return {**FILTER_FIELDS, **custom_filter_fields(custom_field_list())}


def _checked_query(request: Request, *, listing: bool) -> ListQuery:
    try:
        return parse_list_query(
            request.query_params,
            selectable=employee_select_fields(),
            listing=listing,
            filter_fields=_employee_filter_fields(request),
        )
    except QueryParameterError as exc:
        raise ValidationError({exc.parameter: [exc.message]}) from None


def _page_url(request: Request, offset: int, limit: int) -> str:
    url = request.build_absolute_uri()
    url = replace_query_param(url, "limit", limit)
    if offset <= 0:
        return remove_query_param(url, "offset")
    return replace_query_param(url, "offset", offset)


def _checked_team_query(request: Request, *, listing: bool) -> ListQuery:
    try:
        return parse_list_query(
            request.query_params,
            selectable=team_select_fields(),
            listing=listing,
            filter_fields=TEAM_FILTER_FIELDS,
            sort_fields=TEAM_SORT_FIELDS,
            default_ordering=TEAM_DEFAULT_ORDERING,
        )
    except QueryParameterError as exc:
        raise ValidationError({exc.parameter: [exc.message]}) from None


def _page(
    request: Request,
    queryset: QuerySet,
    query: ListQuery,
    serializer_class: type[serializers.Serializer] = EmployeeSerializer,
) -> Response:
    """Return one page of rows in the list envelope (a count and a page query)."""
    queryset = queryset.filter(query.condition).order_by(*query.ordering)
    count = queryset.count()
    rows = list(queryset[query.offset : query.offset + query.limit]) if count else []
    return _envelope(request, query, count, serializer_class(rows, many=True, select=query.select))


def _team_page(request: Request, scope: Q, query: ListQuery) -> Response:
    """Return one page of the teams in `scope`, with member counts.

    Members are counted for the page shown only (one grouped query), unless the sort needs
    every team's count.
    """
    if any(order.lstrip("-") == "member_count" for order in query.ordering):
        return _page(request, team_list_with_counts().filter(scope), query, TeamSerializer)
    teams = team_queryset().filter(scope).filter(query.condition).order_by(*query.ordering)
    count = teams.count()
    rows = list(teams[query.offset : query.offset + query.limit]) if count else []
    serializer = TeamSerializer(team_member_counts(rows), many=True, select=query.select)
    return _envelope(request, query, count, serializer)


def _envelope(
    request: Request, query: ListQuery, count: int, results: serializers.BaseSerializer
) -> Response:
    end = query.offset + query.limit
    previous = None
    if query.offset > 0:
        previous = _page_url(request, max(query.offset - query.limit, 0), query.limit)
    return Response(
        {
            "count": count,
            "limit": query.limit,
            "offset": query.offset,
            "next": _page_url(request, end, query.limit) if end < count else None,
            "previous": previous,
            "results": results.data,
        }
    )


@extend_schema_view(
    list=extend_schema(
        operation_id="employees_list",
        summary="List employees",
        parameters=LIST_PARAMETERS,
        responses={200: EmployeePage, **error_responses(400, 401, 403, 406, 429)},
    ),
    retrieve=extend_schema(
        operation_id="employees_retrieve",
        summary="Get an employee",
        parameters=[ID_PARAMETER, SELECT_PARAMETER],
        responses={200: EmployeeSerializer, **error_responses(400, 401, 403, 404, 406, 429)},
    ),
    create=extend_schema(
        operation_id="employees_create",
        summary="Create an employee",
        parameters=[SELECT_PARAMETER],
        request=EmployeeSerializer,
        responses={
            201: EmployeeSerializer,
            **error_responses(400, 401, 403, 406, 415, 429),
        },
    ),
    partial_update=extend_schema(
        operation_id="employees_partial_update",
        summary="Update an employee",
        description="Change only the fields given. Set `active` to false to deactivate.",
        parameters=[ID_PARAMETER, SELECT_PARAMETER],
        request=EmployeeSerializer(partial=True),
        responses={
            200: EmployeeSerializer,
            **error_responses(400, 401, 403, 404, 406, 415, 429),
        },
    ),
    reports=extend_schema(
        operation_id="employees_reports_list",
        summary="List an employee's direct reports",
        parameters=[ID_PARAMETER, *LIST_PARAMETERS],
        responses={200: EmployeePage, **error_responses(400, 401, 403, 404, 406, 429)},
    ),
    teams=extend_schema(
        operation_id="employees_teams_list",
        summary="List the teams an employee belongs to",
        parameters=[ID_PARAMETER, *TEAM_LIST_PARAMETERS],
        responses={200: TeamPage, **error_responses(400, 401, 403, 404, 406, 429)},
    ),
)
class EmployeeViewSet(viewsets.GenericViewSet):
    """Employees: read with api:read, create and update with api:write."""

    schema = EnvelopeAutoSchema()
    serializer_class = EmployeeSerializer
    lookup_field = "id"
    # Any id reaches the view, which answers 404 in JSON for one that is not a known UUID.
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "head"]

    def get_queryset(self) -> QuerySet[Employee]:
        return employee_queryset()

    def _employee(self, public_id: str) -> Employee:
        employee = employee_get(public_id=public_id)
        if employee is None:
            raise Http404
        return employee

    def _actor(self) -> Actor:
        return Actor(channel=Channel.API, token=self.request.auth)

    def list(self, request: Request) -> Response:
        query = _checked_query(request, listing=True)
        return _page(request, employee_queryset(), query)

    def retrieve(self, request: Request, id: str) -> Response:
        query = _checked_query(request, listing=False)
        employee = self._employee(id)
        return Response(EmployeeSerializer(employee, select=query.select).data)

    def create(self, request: Request) -> Response:
        query = _checked_query(request, listing=False)
        serializer = EmployeeSerializer(data=request.data, context={"actor": self._actor()})
        serializer.is_valid(raise_exception=True)
        employee = serializer.save()
        location = request.build_absolute_uri(
            reverse("public_api:employee-detail", kwargs={"id": employee.public_id})
        )
        return Response(
            EmployeeSerializer(employee, select=query.select).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    def partial_update(self, request: Request, id: str) -> Response:
        query = _checked_query(request, listing=False)
        employee = self._employee(id)
        serializer = EmployeeSerializer(
            employee, data=request.data, partial=True, context={"actor": self._actor()}
        )
        serializer.is_valid(raise_exception=True)
        try:
            employee = serializer.save()
        except Employee.DoesNotExist:  # deleted while this request ran
            raise Http404 from None
        return Response(EmployeeSerializer(employee, select=query.select).data)

    @action(detail=True, methods=["get"])
    def reports(self, request: Request, id: str) -> Response:
        query = _checked_query(request, listing=True)
        manager = self._employee(id)
        return _page(request, employee_direct_reports(manager=manager), query)

    @action(detail=True, methods=["get"])
    def teams(self, request: Request, id: str) -> Response:
        query = _checked_team_query(request, listing=True)
        employee = self._employee(id)
        return _team_page(request, Q(memberships__employee=employee), query)


@extend_schema_view(
    list=extend_schema(
        operation_id="teams_list",
        summary="List teams",
        description="Teams with their member counts. Read-only: Microsoft Entra ID provisions "
        "teams over SCIM.",
        parameters=TEAM_LIST_PARAMETERS,
        responses={200: TeamPage, **error_responses(400, 401, 403, 406, 429)},
    ),
    retrieve=extend_schema(
        operation_id="teams_retrieve",
        summary="Get a team",
        parameters=[TEAM_ID_PARAMETER, TEAM_SELECT_PARAMETER],
        responses={
            200: TeamSerializer,
            **error_responses(400, 401, 403, 404, 406, 429, not_found="team"),
        },
    ),
    members=extend_schema(
        operation_id="teams_members_list",
        summary="List a team's members",
        description="The team's employees, a page at a time, with the employee list's "
        "select, filter and sort parameters.",
        parameters=[TEAM_ID_PARAMETER, *LIST_PARAMETERS],
        responses={
            200: EmployeePage,
            **error_responses(400, 401, 403, 404, 406, 429, not_found="team"),
        },
    ),
)
class TeamViewSet(viewsets.GenericViewSet):
    """Teams: read with api:read. Read-only; SCIM owns team writes."""

    schema = EnvelopeAutoSchema()
    serializer_class = TeamSerializer
    lookup_field = "id"
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "head"]

    def get_queryset(self) -> QuerySet[Team]:
        return team_list_with_counts()

    def _team(self, public_id: str) -> Team:
        team = team_get(public_id=public_id)
        if team is None:
            raise Http404
        return team

    def list(self, request: Request) -> Response:
        query = _checked_team_query(request, listing=True)
        return _team_page(request, Q(), query)

    def retrieve(self, request: Request, id: str) -> Response:
        query = _checked_team_query(request, listing=False)
        [team] = team_member_counts([self._team(id)])
        return Response(TeamSerializer(team, select=query.select).data)

    @action(detail=True, methods=["get"])
    def members(self, request: Request, id: str) -> Response:
        query = _checked_query(request, listing=True)
        team = self._team(id)
        return _page(request, team_members(team=team).select_related("manager"), query)


@extend_schema_view(
    list=extend_schema(
        operation_id="departments_list",
        summary="List departments with headcounts",
        description=(
            "Each department in use (not archived or merged), by name: its parent, head, "
            "default cost center and how many active employees work in it."
        ),
        responses={200: DepartmentList, **error_responses(400, 401, 403, 406, 429)},
    ),
)
class DepartmentViewSet(viewsets.GenericViewSet):
    """Departments: the managed department records (Organisation > Departments)."""

    schema = EnvelopeAutoSchema()
    serializer_class = DepartmentSerializer
    http_method_names = ["get", "head"]

    def list(self, request: Request) -> Response:
        if request.query_params:
            name = next(iter(request.query_params))
            raise ValidationError({name: ["Unknown parameter. This list takes none."]})
        rows = list(department_api_list())
        return Response({"count": len(rows), "results": DepartmentSerializer(rows, many=True).data})


def not_found(request: HttpRequest) -> JsonResponse:
    """Answer an unknown API URL with a JSON 404, pointing out a missing trailing slash."""
    detail = "Not found."
    if not request.path.endswith("/"):
        try:
            resolve(request.path + "/")
        except Resolver404:
            pass
        else:
            detail = f"Not found. Did you mean {request.path}/ ?"
    body = {"status": 404, "code": "not_found", "detail": detail, "errors": {}}
    return JsonResponse(body, status=404)
