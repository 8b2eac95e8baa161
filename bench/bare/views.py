"""Bare views: per request, only the statements an Entra cycle step or an API read needs.

Each SCIM request looks the token up, reads (and for a write locks, updates and records in the
history) one user, and inserts one provisioning log row, in one transaction for writes. No
middleware, no validation beyond what the benchmark sends, no catalogue: the cheapest plain
Django (and DRF) code that gives the benchmark's clients the answers they check.
"""

from __future__ import annotations

import hmac
import json
import re
import uuid

from django.db import transaction
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from rest_framework import authentication, exceptions, generics, pagination, serializers

from access_tokens.crypto import public_prefix, token_digest
from access_tokens.models import AccessToken
from audit.models import ChangeAction, Channel
from employees.models import Employee, EmployeeChange
from provisioning.models import Operation, ProvisioningEvent

ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
USER_NAME_FILTER = re.compile(r'userName eq "(?P<value>[^"]*)"', re.IGNORECASE)
# PATCH paths the benchmark sends -> the employee field each one sets.
PATCH_FIELDS = {
    "title": "title",
    "displayname": "display_name",
    'phonenumbers[type eq "work"].value': "work_phone",
    'emails[type eq "work"].value': "work_email",
    f"{ENT}:department".lower(): "department",
    f"{ENT}:costcenter".lower(): "cost_center",
    f"{ENT}:employeenumber".lower(): "employee_number",
    "active": "active",
}


def _token(request) -> AccessToken | None:
    raw = request.META.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
    prefix = public_prefix(raw)
    if prefix is None:
        return None
    token = AccessToken.objects.filter(prefix=prefix, revoked_at__isnull=True).first()
    if token is None or not hmac.compare_digest(token.digest, token_digest(raw)):
        return None
    return token


def _log(request, token, status: int, operation: str, employee=None, changes=None) -> None:
    ProvisioningEvent.objects.create(
        occurred_at=timezone.now(),
        token=token,
        token_name=token.name,
        client_ip=request.META.get("REMOTE_ADDR"),
        method=request.method,
        path=request.path,
        query=request.META.get("QUERY_STRING", ""),
        resource_type="User",
        resource_id=str(employee.public_id) if employee else "",
        employee=employee,
        user_name=employee.user_name if employee else "",
        operation=operation,
        changes=changes or {},
        status=status,
    )


def _history(employee: Employee, token, action: str, changes: dict) -> None:
    EmployeeChange.objects.create(
        employee=employee,
        action=action,
        channel=Channel.SCIM,
        actor_token=token,
        changes=changes,
    )


def _resource(employee: Employee) -> dict:
    resource = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENT],
        "id": str(employee.public_id),
        "externalId": employee.external_id,
        "userName": employee.user_name,
        "name": {
            "givenName": employee.given_name,
            "familyName": employee.family_name,
            "formatted": f"{employee.given_name} {employee.family_name}",
        },
        "displayName": employee.display_name,
        "title": employee.title,
        "active": employee.active,
        "emails": [{"value": employee.work_email, "type": "work", "primary": True}],
        ENT: {
            "department": employee.department,
            "costCenter": employee.cost_center,
            "employeeNumber": employee.employee_number,
        },
        "meta": {"resourceType": "User", "version": f'W/"{employee.version}"'},
    }
    if employee.work_phone:
        resource["phoneNumbers"] = [{"value": employee.work_phone, "type": "work"}]
    if employee.manager is not None:
        resource[ENT]["manager"] = {"value": str(employee.manager.public_id)}
    return resource


def _scim(doc: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(doc), content_type="application/scim+json", status=status)


def _unauthorized() -> HttpResponse:
    return _scim({"detail": "A valid access token is required.", "status": "401"}, 401)


def service_provider_config(request):
    return _scim({"patch": {"supported": True}})


@csrf_exempt
def users(request):
    """GET a filtered list or a page; POST a new user."""
    token = _token(request)
    if token is None:
        return _unauthorized()
    if request.method == "POST":
        body = json.loads(request.body)
        with transaction.atomic():
            email = body["emails"][0]["value"]
            employee = Employee.objects.create(
                user_name=body["userName"],
                external_id=body.get("externalId", ""),
                given_name=body["name"]["givenName"],
                family_name=body["name"]["familyName"],
                work_email=email,
                active=body.get("active", True),
                last_synced_at=timezone.now(),
            )
            _history(employee, token, ChangeAction.CREATED, {"user_name": [None, body["userName"]]})
            _log(request, token, 201, Operation.CREATED, employee)
        return _scim(_resource(employee), 201)
    live = Employee.objects.filter(deleted_at__isnull=True).select_related("manager")
    query = request.GET.get("filter")
    if query:
        match = USER_NAME_FILTER.fullmatch(query)
        rows = list(live.alias(lower=Lower("user_name")).filter(lower=match["value"].lower()))
        total, start = len(rows), 1
    else:
        start = int(request.GET.get("startIndex", 1))
        count = int(request.GET.get("count", 100))
        # The page's ids first, then its rows: the plan does not depend on statistics.
        ids = list(live.order_by("pk").values_list("pk", flat=True)[start - 1 : start - 1 + count])
        rows = list(live.filter(pk__in=ids).order_by("pk"))
        total = live.count()
    _log(request, token, 200, Operation.QUERIED)
    return _scim(
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": len(rows),
            "Resources": [_resource(e) for e in rows],
        }
    )


@csrf_exempt
def user(request, public_id: uuid.UUID):
    """GET one user; PATCH it (lock, update, one history row, one log row)."""
    token = _token(request)
    if token is None:
        return _unauthorized()
    live = Employee.objects.filter(deleted_at__isnull=True, public_id=public_id)
    if request.method == "GET":
        employee = live.select_related("manager").first()
        _log(request, token, 200, Operation.QUERIED, employee)
        return _scim(_resource(employee))
    body = json.loads(request.body)
    with transaction.atomic():
        employee = live.select_for_update(of=("self",), no_key=True).select_related("manager")[0]
        changes = {}
        for op in body["Operations"]:
            path = op["path"].lower()
            if path == f"{ENT}:manager".lower():
                manager = Employee.objects.get(public_id=op["value"])
                changes["manager"] = [employee.manager_id, manager.pk]
                employee.manager = manager
                continue
            field = PATCH_FIELDS[path]
            value = op["value"] if field != "active" else op["value"] in (True, "True", "true")
            changes[field] = [getattr(employee, field), value]
            setattr(employee, field, value)
        employee.version += 1
        employee.save(update_fields=[*(f if f != "manager" else "manager_id" for f in changes)])
        _history(employee, token, ChangeAction.UPDATED, changes)
        _log(request, token, 200, Operation.UPDATED, employee, changes={})
    return _scim(_resource(employee))


# ---------------------------------------------------------------------------------------------
# Public API: a plain DRF list and retrieve of employees


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        token = _token(request._request)
        if token is None:
            raise exceptions.AuthenticationFailed()
        return None, token


class ManagerSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")

    class Meta:
        model = Employee
        fields = ["id", "user_name", "display_name"]


class EmployeeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")
    manager_id = serializers.UUIDField(source="manager.public_id", allow_null=True)
    manager = ManagerSerializer(allow_null=True)

    class Meta:
        model = Employee
        fields = [
            "id",
            "user_name",
            "external_id",
            "given_name",
            "family_name",
            "display_name",
            "title",
            "work_email",
            "work_phone",
            "employee_number",
            "department",
            "cost_center",
            "division",
            "organization",
            "location",
            "employment_type",
            "manager_id",
            "manager",
            "active",
            "start_date",
            "end_date",
            "custom_fields",
            "created_at",
            "updated_at",
        ]


class Paging(pagination.LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


class EmployeeApiMixin:
    authentication_classes = [TokenAuthentication]
    permission_classes: list = []
    throttle_classes: list = []
    serializer_class = EmployeeSerializer
    lookup_field = "public_id"

    def get_queryset(self):
        return (
            Employee.objects.filter(deleted_at__isnull=True)
            .select_related("manager")
            .order_by("family_name", "given_name", "id")
        )


class EmployeeList(EmployeeApiMixin, generics.ListAPIView):
    pagination_class = Paging


class EmployeeDetail(EmployeeApiMixin, generics.RetrieveAPIView):
    pass
