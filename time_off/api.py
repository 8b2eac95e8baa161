"""Public API of time off (`/api/v1/time-off/`): leave types, balances and requests.

Reads need api:read; creating a request and deciding on one need api:write and act for the
person who created the access token (their employee record, their right to approve). A
request's attachment comes with it as multipart/form-data, and is downloaded by the people
who may open it on the web.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from audit.actor import Actor
from audit.models import Channel
from employees.models import Employee
from public_api.parsers import JSONParser, MultiPartParser
from public_api.schema import EnvelopeAutoSchema, error_responses
from time_off import attachments, selectors, services
from time_off.models import Balance, LeaveType, Status, TimeOffRequest
from time_off.serializers import (
    BalanceSerializer,
    DecisionSerializer,
    LeaveTypeSerializer,
    TimeOffRequestCreateSerializer,
    TimeOffRequestSerializer,
    TimeOffRequestUploadSerializer,
)

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _page_of(name: str, serializer: serializers.Serializer) -> Any:
    return inline_serializer(
        name,
        {
            "count": serializers.IntegerField(help_text="How many match in total."),
            "limit": serializers.IntegerField(),
            "offset": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True, help_text="The next page, or null."),
            "previous": serializers.URLField(allow_null=True, help_text="The previous page."),
            "results": serializer,
        },
    )


class PageQuery(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT)
    offset = serializers.IntegerField(min_value=0, default=0)


class BalanceQuery(PageQuery):
    employee = serializers.UUIDField(required=False)


class RequestQuery(PageQuery):
    employee = serializers.UUIDField(required=False)
    manager = serializers.UUIDField(required=False)
    team = serializers.UUIDField(required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, data: dict) -> dict:
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError({"end": ["The end cannot be before the start."]})
        return data


PAGE_PARAMETERS = [
    OpenApiParameter("limit", int, description=f"Page size, 1 to {MAX_LIMIT} (default 50)."),
    OpenApiParameter("offset", int, description="How many to skip (default 0)."),
]
REQUEST_ID = OpenApiParameter(
    "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The request's id."
)


def _query(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


def _page_url(request: Request, offset: int, limit: int) -> str:
    url = replace_query_param(request.build_absolute_uri(), "limit", limit)
    return (
        replace_query_param(url, "offset", offset)
        if offset > 0
        else remove_query_param(url, "offset")
    )


def _page(
    request: Request,
    queryset: QuerySet,
    query: dict,
    serializer_class: Any,
    context: dict | None = None,
) -> Response:
    limit, offset = query["limit"], query["offset"]
    count = queryset.count()
    rows = list(queryset[offset : offset + limit]) if count else []
    end = offset + limit
    return Response(
        {
            "count": count,
            "limit": limit,
            "offset": offset,
            "next": _page_url(request, end, limit) if end < count else None,
            "previous": _page_url(request, max(offset - limit, 0), limit) if offset else None,
            "results": serializer_class(rows, many=True, context=context or {}).data,
        }
    )


def _acting_user(request: Request) -> Any:
    """The person the access token acts for: the one who created it."""
    user = getattr(request.auth, "created_by", None)
    if user is None or not user.is_active:
        raise PermissionDenied
    return user


def _raise(exc: DjangoValidationError) -> None:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    raise ValidationError(detail) from None


@extend_schema_view(
    list=extend_schema(
        operation_id="time_off_leave_types_list",
        summary="List leave types",
        responses={
            200: inline_serializer(
                "LeaveTypeList",
                {"count": serializers.IntegerField(), "results": LeaveTypeSerializer(many=True)},
            ),
            **error_responses(401, 403, 406, 429),
        },
    )
)
class LeaveTypeViewSet(viewsets.GenericViewSet):
    """Leave types offered (archived ones are left out)."""

    schema = EnvelopeAutoSchema()
    serializer_class = LeaveTypeSerializer
    http_method_names = ["get", "head"]

    def get_queryset(self) -> QuerySet[LeaveType]:
        return LeaveType.objects.filter(archived_at__isnull=True).order_by("name", "id")

    def list(self, request: Request) -> Response:
        rows = list(self.get_queryset())
        return Response({"count": len(rows), "results": LeaveTypeSerializer(rows, many=True).data})


@extend_schema_view(
    list=extend_schema(
        operation_id="time_off_balances_list",
        summary="List balances",
        description="Each person's balance per leave type; `employee` narrows to one person.",
        parameters=[
            OpenApiParameter("employee", OpenApiTypes.UUID, description="An employee's id."),
            *PAGE_PARAMETERS,
        ],
        responses={
            200: _page_of("BalancePage", BalanceSerializer(many=True)),
            **error_responses(400, 401, 403, 406, 429),
        },
    )
)
class BalanceViewSet(viewsets.GenericViewSet):
    schema = EnvelopeAutoSchema()
    serializer_class = BalanceSerializer
    http_method_names = ["get", "head"]

    def get_queryset(self) -> QuerySet[Balance]:
        return Balance.objects.select_related("employee", "leave_type").order_by(
            "employee_id", "id"
        )

    def list(self, request: Request) -> Response:
        query = _query(BalanceQuery, request)
        balances = self.get_queryset().filter(employee__deleted_at__isnull=True)
        if query.get("employee"):
            balances = balances.filter(employee__public_id=query["employee"])
        return _page(request, balances, query, BalanceSerializer)


@extend_schema_view(
    list=extend_schema(
        operation_id="time_off_requests_list",
        summary="List requests for time off",
        description="Newest first. Filter by person, by a manager's direct reports, by team, "
        "by status, and by dates: `start` and `end` keep requests that overlap that range.",
        parameters=[
            OpenApiParameter("employee", OpenApiTypes.UUID, description="An employee's id."),
            OpenApiParameter(
                "manager", OpenApiTypes.UUID, description="A manager's id: their reports."
            ),
            OpenApiParameter("team", OpenApiTypes.UUID, description="A team's id: its members."),
            OpenApiParameter("status", str, enum=Status.values),
            OpenApiParameter("start", OpenApiTypes.DATE, description="From this day."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Until this day."),
            *PAGE_PARAMETERS,
        ],
        responses={
            200: _page_of("TimeOffRequestPage", TimeOffRequestSerializer(many=True)),
            **error_responses(400, 401, 403, 406, 429),
        },
    ),
    create=extend_schema(
        operation_id="time_off_requests_create",
        summary="Ask for time off",
        description="For the person who created the access token (their employee record). "
        "Refused (400) when the days overlap another request or exceed the balance. Send "
        "multipart/form-data with an `attachment` file (a PDF, PNG or JPEG up to 10 MB) for a "
        "leave type that needs one; a file that is too large or of another kind is a 400 "
        "naming `attachment`, and nothing is kept.",
        request={
            "application/json": TimeOffRequestCreateSerializer,
            "multipart/form-data": TimeOffRequestUploadSerializer,
        },
        responses={
            201: TimeOffRequestSerializer,
            **error_responses(400, 401, 403, 406, 415, 429),
        },
    ),
    attachment=extend_schema(
        operation_id="time_off_requests_attachment",
        summary="Download a request's attachment",
        description="The file attached to a request, for the person, their approver, and HR "
        "admins and owners (as the person who created the access token).",
        parameters=[REQUEST_ID],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            **error_responses(401, 403, 404, 406, 429, not_found="request or attachment"),
        },
    ),
    approve=extend_schema(
        operation_id="time_off_requests_approve",
        summary="Approve a request",
        description="As the person who created the access token: the request's approver "
        "(the manager) or an HR admin, never on their own request.",
        parameters=[REQUEST_ID],
        request=DecisionSerializer,
        responses={
            200: TimeOffRequestSerializer,
            **error_responses(400, 401, 403, 404, 406, 415, 429, not_found="request"),
        },
    ),
    deny=extend_schema(
        operation_id="time_off_requests_deny",
        summary="Deny a request",
        description="As for approving; a comment saying why is required.",
        parameters=[REQUEST_ID],
        request=DecisionSerializer,
        responses={
            200: TimeOffRequestSerializer,
            **error_responses(400, 401, 403, 404, 406, 415, 429, not_found="request"),
        },
    ),
)
class TimeOffRequestViewSet(viewsets.GenericViewSet):
    schema = EnvelopeAutoSchema()
    serializer_class = TimeOffRequestSerializer
    lookup_field = "id"
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "head", "post"]

    def get_queryset(self) -> QuerySet[TimeOffRequest]:
        return TimeOffRequest.objects.select_related("employee", "leave_type", "approver").order_by(
            "-start_date", "-id"
        )

    def get_parsers(self) -> list:
        # Only asking for time off takes a file; everything else stays JSON only. The action
        # is not set yet when DRF reads the parsers: the route's POST says which it is.
        action_map = getattr(self, "action_map", None) or {}
        if "create" in (getattr(self, "action", None), action_map.get("post")):
            return [JSONParser(), MultiPartParser()]
        return super().get_parsers()

    def get_serializer_context(self) -> dict:
        user = getattr(self.request.auth, "created_by", None)
        viewer = user if user is not None and user.is_active else None
        return {**super().get_serializer_context(), "viewer": viewer}

    def _actor(self) -> Actor:
        return Actor(channel=Channel.API, user=_acting_user(self.request), token=self.request.auth)

    def _found(self, id: str) -> TimeOffRequest:
        found = self.get_queryset().filter(public_id=_uuid_or_404(id)).first()
        if found is None:
            raise Http404
        return found

    def list(self, request: Request) -> Response:
        query = _query(RequestQuery, request)
        requests = self.get_queryset()
        if query.get("employee"):
            requests = requests.filter(employee__public_id=query["employee"])
        if query.get("manager"):
            requests = requests.filter(employee__manager__public_id=query["manager"])
        if query.get("team"):
            requests = requests.filter(employee__team_memberships__team__public_id=query["team"])
        if query.get("status"):
            requests = requests.filter(status=query["status"])
        if query.get("start"):
            requests = requests.filter(end_date__gte=query["start"])
        if query.get("end"):
            requests = requests.filter(start_date__lte=query["end"])
        return _page(
            request, requests, query, TimeOffRequestSerializer, self.get_serializer_context()
        )

    def create(self, request: Request) -> Response:
        body = TimeOffRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        actor = self._actor()
        employee = Employee.objects.filter(
            user=actor.user, deleted_at__isnull=True, active=True
        ).first()
        if employee is None:
            raise PermissionDenied
        leave_type = LeaveType.objects.filter(
            public_id=data["leave_type"], archived_at__isnull=True
        ).first()
        if leave_type is None:
            raise ValidationError({"leave_type": ["No leave type has this id."]})
        try:
            created = services.request_create(
                employee=employee,
                leave_type=leave_type,
                start_date=data["start_date"],
                end_date=data["end_date"],
                starts_at_noon=data["starts_at_noon"],
                ends_at_noon=data["ends_at_noon"],
                hours=data.get("hours"),
                note=data["note"],
                attachment=request.FILES.get("attachment"),
                actor=actor,
            )
        except DjangoValidationError as exc:
            _raise(exc)
        return Response(
            TimeOffRequestSerializer(created, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def _decide(self, request: Request, id: str, *, approve: bool) -> Response:
        found = self._found(id)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            decided = services.request_decide(
                request=found,
                approve=approve,
                comment=body.validated_data["comment"],
                actor=self._actor(),
            )
        except DjangoValidationError as exc:
            _raise(exc)
        return Response(
            TimeOffRequestSerializer(decided, context=self.get_serializer_context()).data
        )

    @action(detail=True, methods=["post"])
    def approve(self, request: Request, id: str) -> Response:
        return self._decide(request, id, approve=True)

    @action(detail=True, methods=["post"])
    def deny(self, request: Request, id: str) -> Response:
        return self._decide(request, id, approve=False)

    @action(detail=True, methods=["get"])
    def attachment(self, request: Request, id: str) -> FileResponse:
        found = self._found(id)
        if not found.attachment:
            raise Http404
        if not selectors.user_can_open_attachment(user=_acting_user(request), request=found):
            raise PermissionDenied
        return attachments.download(found)


def _uuid_or_404(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise Http404 from None
