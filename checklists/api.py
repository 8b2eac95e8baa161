"""Public API for checklists and their tasks (under /api/v1/, in the OpenAPI schema), and the
JSON webhooks send for checklist events: one shape for both."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.actor import Actor
from audit.models import Channel
from checklists.models import (
    Checklist,
    ChecklistKind,
    ChecklistStatus,
    ChecklistTask,
)
from checklists.services import checklist_task_complete
from public_api.schema import error_responses

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


class TaskSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    checklist_id = serializers.UUIDField(source="checklist.public_id", read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True, help_text="Markdown.")
    assignee_role = serializers.ChoiceField(
        choices=["employee", "manager", "hr", "it", "person", "team"], read_only=True
    )
    assignee_user_name = serializers.SerializerMethodField(
        help_text="The person who does it (employee, manager, named person); null otherwise."
    )
    due_date = serializers.DateField(read_only=True)
    done = serializers.SerializerMethodField()
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_assignee_user_name(self, task: ChecklistTask) -> str | None:
        return task.assignee_employee.user_name if task.assignee_employee_id else None

    def get_done(self, task: ChecklistTask) -> bool:
        return task.completed_at is not None


class ChecklistSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    employee_id = serializers.UUIDField(source="employee.public_id", read_only=True)
    employee_user_name = serializers.CharField(source="employee.user_name", read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=ChecklistKind.values, read_only=True)
    status = serializers.ChoiceField(choices=ChecklistStatus.values, read_only=True)
    template_version = serializers.IntegerField(read_only=True)
    date = serializers.DateField(
        source="anchor_date",
        read_only=True,
        help_text="The start date (onboarding), end date (offboarding) or day of the change.",
    )
    date_known = serializers.BooleanField(source="anchor_known", read_only=True)
    task_count = serializers.IntegerField(read_only=True)
    done_count = serializers.IntegerField(read_only=True)
    started_at = serializers.DateTimeField(read_only=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    cancelled_at = serializers.DateTimeField(read_only=True, allow_null=True)
    cancel_reason = serializers.CharField(read_only=True)


def _page_serializer(name: str, item: type[serializers.Serializer]):
    return inline_serializer(
        name,
        {
            "count": serializers.IntegerField(),
            "limit": serializers.IntegerField(),
            "offset": serializers.IntegerField(),
            "results": item(many=True),
        },
    )


def _int(request: Request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: ["Give a whole number."]}) from None
    if value < 0 or (maximum is not None and value > maximum):
        raise ValidationError({name: [f"Give a number from 0 to {maximum or 'more'}."]})
    return value


def _choice(request: Request, name: str, choices: list[str]) -> str:
    value = request.query_params.get(name, "")
    if value and value not in choices:
        raise ValidationError({name: [f"Choose one of: {', '.join(choices)}."]})
    return value


def _uuid(request: Request, name: str) -> uuid.UUID | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ValidationError({name: ["Give an id (a UUID)."]}) from None


def _path_id(raw: str) -> uuid.UUID | None:
    """An id from the path; None (nothing matches: 404) when it is no UUID."""
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def _paged(request: Request, queryset: QuerySet, serializer) -> Response:
    limit = _int(request, "limit", DEFAULT_LIMIT, MAX_LIMIT)
    offset = _int(request, "offset", 0)
    count = queryset.count()
    rows = list(queryset[offset : offset + limit]) if count else []
    return Response(
        {
            "count": count,
            "limit": limit,
            "offset": offset,
            "results": serializer(rows, many=True).data,
        }
    )


def _id_parameter(thing: str) -> OpenApiParameter:
    return OpenApiParameter(
        "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description=f"The {thing}'s id."
    )


PAGING = [
    OpenApiParameter("limit", OpenApiTypes.INT, description=f"Up to {MAX_LIMIT}; 50 by default."),
    OpenApiParameter("offset", OpenApiTypes.INT, description="Rows to skip."),
]


class ChecklistList(APIView):
    @extend_schema(
        operation_id="checklists_list",
        summary="List checklists",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=ChecklistStatus.values),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=ChecklistKind.values),
            OpenApiParameter("employee", OpenApiTypes.UUID, description="An employee's id."),
            *PAGING,
        ],
        responses={
            200: _page_serializer("ChecklistPage", ChecklistSerializer),
            **error_responses(400, 401, 403, 406, 429),
        },
    )
    def get(self, request: Request) -> Response:
        checklists = Checklist.objects.select_related("employee").order_by("-started_at", "-id")
        if value := _choice(request, "status", ChecklistStatus.values):
            checklists = checklists.filter(status=value)
        if value := _choice(request, "kind", ChecklistKind.values):
            checklists = checklists.filter(kind=value)
        if (employee := _uuid(request, "employee")) is not None:
            checklists = checklists.filter(employee__public_id=employee)
        return _paged(request, checklists, ChecklistSerializer)


class ChecklistDetail(APIView):
    @extend_schema(
        operation_id="checklists_retrieve",
        summary="Get a checklist",
        parameters=[_id_parameter("checklist")],
        responses={
            200: ChecklistSerializer,
            **error_responses(401, 403, 404, 406, 429, not_found="checklist"),
        },
    )
    def get(self, request: Request, id: str) -> Response:
        key = _path_id(id)
        checklist = Checklist.objects.select_related("employee").filter(public_id=key).first()
        if checklist is None:
            raise NotFound("No checklist has this id.")
        return Response(ChecklistSerializer(checklist).data)


class TaskList(APIView):
    @extend_schema(
        operation_id="checklist_tasks_list",
        summary="List checklist tasks",
        description="Open tasks first by due date; filter by checklist or state.",
        parameters=[
            OpenApiParameter("checklist", OpenApiTypes.UUID, description="A checklist's id."),
            OpenApiParameter("done", OpenApiTypes.BOOL, description="true or false."),
            *PAGING,
        ],
        responses={
            200: _page_serializer("ChecklistTaskPage", TaskSerializer),
            **error_responses(400, 401, 403, 406, 429),
        },
    )
    def get(self, request: Request) -> Response:
        tasks = ChecklistTask.objects.select_related("checklist", "assignee_employee").order_by(
            "due_date", "id"
        )
        if (checklist := _uuid(request, "checklist")) is not None:
            tasks = tasks.filter(checklist__public_id=checklist)
        done = _choice(request, "done", ["true", "false"])
        if done:
            tasks = tasks.filter(completed_at__isnull=done == "false")
        return _paged(request, tasks, TaskSerializer)


class TaskComplete(APIView):
    @extend_schema(
        operation_id="checklist_tasks_complete",
        summary="Complete a checklist task",
        description=(
            "Tick a task done (needs the api:write scope). Completing a task that is already "
            "done changes nothing; the checklist completes with its last task."
        ),
        request=None,
        parameters=[_id_parameter("task")],
        responses={
            200: TaskSerializer,
            **error_responses(400, 401, 403, 404, 406, 429, not_found="task"),
        },
    )
    def post(self, request: Request, id: str) -> Response:
        task = ChecklistTask.objects.filter(public_id=_path_id(id)).first()
        if task is None:
            raise NotFound("No task has this id.")
        actor = Actor(channel=Channel.API, user=request.user, token=request.auth)
        try:
            task = checklist_task_complete(task=task, actor=actor)
        except DjangoValidationError as exc:
            raise ValidationError({"task": exc.messages}) from None
        task = ChecklistTask.objects.select_related("checklist", "assignee_employee").get(
            pk=task.pk
        )
        return Response(TaskSerializer(task).data, status=status.HTTP_200_OK)


def _checklist_resource(checklist: Checklist) -> dict:
    return dict(ChecklistSerializer(checklist).data)


def _task_resource(task: ChecklistTask) -> dict:
    return dict(TaskSerializer(task).data)


def register_webhook_events() -> None:
    """Make checklist and task history entries webhook events (checklist.started, ...)."""
    from webhooks.events import event_type_register, source_register

    source_register(
        "checklists.ChecklistChange",
        prefix="checklist",
        resource=_checklist_resource,
        select_related=("checklist__employee",),
    )
    source_register(
        "checklists.ChecklistTaskChange",
        prefix="task",
        resource=_task_resource,
        select_related=("task__checklist", "task__assignee_employee"),
    )
    event_type_register(
        "checklist.started",
        "Checklist started",
        "An onboarding, offboarding or role-change checklist started for an employee.",
    )
    event_type_register(
        "checklist.completed", "Checklist completed", "The last task of a checklist was done."
    )
    event_type_register(
        "checklist.cancelled", "Checklist cancelled", "HR cancelled a checklist, with a reason."
    )
    event_type_register(
        "task.completed", "Checklist task completed", "A task of a checklist was ticked done."
    )
