"""Writes of self-service: employees change their personal details, HR approves or rejects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit.actor import Actor
from audit.models import Channel
from employees.models import Employee
from employees.services import employee_update
from notifications.services import notify
from photos.services import pending_photo_apply, pending_photo_delete, pending_photo_save
from self_service.fields import FIELDS_BY_NAME, PHOTO, TEXT_FIELD_NAMES
from self_service.models import ChangeRequest, ChangeRequestStatus, FieldRule
from self_service.selectors import field_rules

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CHANGE_REQUESTED = "self_service.change_requested"
# Why a deleted employee's waiting changes were rejected (shown beside the decision).
EMPLOYEE_DELETED = "The employee was deleted."


@dataclass
class SubmitResult:
    """What an employee's save did: fields changed at once, and changes waiting for HR."""

    applied: list[str] = field(default_factory=list)
    pending: list[ChangeRequest] = field(default_factory=list)


def _clean(employee: Employee, data: Mapping[str, Any]) -> dict[str, str]:
    unknown = set(data) - TEXT_FIELD_NAMES
    if unknown:
        raise TypeError(f"Not a personal detail: {', '.join(sorted(unknown))}")
    cleaned, errors = {}, {}
    for name, value in data.items():
        try:
            # Browsers send a text area's line breaks as CRLF: keep one kind of line break.
            text = (value or "").replace("\r\n", "\n").strip()
            cleaned[name] = Employee._meta.get_field(name).clean(text, employee)
        except ValidationError as exc:
            errors[name] = exc.error_list
    if errors:
        raise ValidationError(errors)
    return cleaned


def personal_details_submit(
    *, employee: Employee, user: User, data: Mapping[str, Any]
) -> SubmitResult:
    """Apply the employee's changes HR lets through at once; file the others for approval.

    Validates every value first, so that nothing is saved when one is wrong. HR admins are
    told once about the changes that wait for them.
    """
    cleaned = _clean(employee, data)
    changed = {name: value for name, value in cleaned.items() if getattr(employee, name) != value}
    rules = field_rules()
    at_once = {name: value for name, value in changed.items() if not rules[name]}
    for_approval = {name: value for name, value in changed.items() if rules[name]}
    result = SubmitResult()
    with transaction.atomic():
        if at_once:
            employee_update(
                employee=employee, actor=Actor(channel=Channel.WEB, user=user), data=at_once
            )
            result.applied = list(at_once)
        for name, value in for_approval.items():
            change_request, _ = ChangeRequest.objects.select_for_update().update_or_create(
                employee=employee,
                field=name,
                status=ChangeRequestStatus.PENDING,
                defaults={
                    "old_value": getattr(employee, name),
                    "new_value": value,
                    "requested_by": user,
                },
            )
            result.pending.append(change_request)
        if result.pending:
            _notify(employee, result.pending)
    return result


def _notify(employee: Employee, pending: list[ChangeRequest]) -> None:
    ids = sorted(request.pk for request in pending)
    notify(
        kind=CHANGE_REQUESTED,
        params={"employee_id": employee.pk, "request_ids": ids},
        key=f"{employee.pk}:{timezone.now().isoformat()}",
    )


def photo_needs_approval() -> bool:
    """Return whether HR approves the photos employees upload of themselves."""
    return field_rules()[PHOTO]


def photo_change_request_submit(*, employee: Employee, user: User, upload) -> ChangeRequest:
    """Keep an employee's new photo aside for HR: processed as any photo, not shown yet.

    Raises ValidationError({"photo": ...}) for a file that is not a usable picture; nothing
    is stored then. A newer photo replaces the one still waiting (its files are deleted).
    """
    key = pending_photo_save(upload=upload)
    try:
        with transaction.atomic():
            earlier = (
                ChangeRequest.objects.select_for_update()
                .filter(employee=employee, field=PHOTO, status=ChangeRequestStatus.PENDING)
                .first()
            )
            change_request, _ = ChangeRequest.objects.update_or_create(
                employee=employee,
                field=PHOTO,
                status=ChangeRequestStatus.PENDING,
                defaults={
                    "old_value": "photo" if employee.photo_version else "",
                    "new_value": key,
                    "requested_by": user,
                },
            )
            _notify(employee, [change_request])
    except Exception:
        pending_photo_delete(key)
        raise
    if earlier is not None and earlier.new_value:
        transaction.on_commit(lambda: pending_photo_delete(earlier.new_value))
    return change_request


def _decide(change_request: ChangeRequest) -> ChangeRequest:
    locked = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if not locked.is_pending:
        raise ValidationError(
            f"This change was already {locked.get_status_display().lower()}.", code="decided"
        )
    return locked


def change_request_approve(*, change_request: ChangeRequest, user: User) -> ChangeRequest:
    """Apply a waiting change to the employee; their history names the approver."""
    with transaction.atomic():
        locked = _decide(change_request)
        if locked.requested_by_id == user.pk:
            raise PermissionDenied("Another HR admin approves changes to your own details.")
        actor = Actor(channel=Channel.WEB, user=user)
        try:
            if locked.field == PHOTO:
                pending_photo_apply(employee=locked.employee, actor=actor, key=locked.new_value)
            else:
                employee_update(
                    employee=locked.employee, actor=actor, data={locked.field: locked.new_value}
                )
        except FileNotFoundError:
            raise ValidationError(
                "The photo is no longer stored: reject the change instead.", code="missing"
            ) from None
        except Employee.DoesNotExist:
            raise ValidationError(
                "The employee was deleted: reject the change instead.", code="deleted"
            ) from None
        locked.status = ChangeRequestStatus.APPROVED
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


def change_request_reject(
    *, change_request: ChangeRequest, user: User | None, reason: str = ""
) -> ChangeRequest:
    """Turn down a waiting change; the employee's record stays as it was."""
    with transaction.atomic():
        locked = _decide(change_request)
        locked.status = ChangeRequestStatus.REJECTED
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.reason = reason.strip()[:500]
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        if locked.field == PHOTO and locked.new_value:
            key = locked.new_value
            transaction.on_commit(lambda: pending_photo_delete(key))
    return locked


def change_requests_close_for_deleted(*, employee_id: int, user: User | None) -> int:
    """Reject a deleted employee's waiting changes, which can no longer apply.

    `user` deleted the employee (None for Entra or an access token). Returns how many.
    """
    # Locked first, so that a decision HR makes meanwhile is skipped rather than refused.
    pending = ChangeRequest.objects.select_for_update().filter(
        employee_id=employee_id, status=ChangeRequestStatus.PENDING
    )
    closed = 0
    for change_request in pending:
        change_request_reject(change_request=change_request, user=user, reason=EMPLOYEE_DELETED)
        closed += 1
    return closed


def field_rules_set(*, rules: Mapping[str, bool], user: User) -> dict[str, bool]:
    """Save, per personal detail, whether an employee's change needs HR's approval."""
    unknown = set(rules) - set(FIELDS_BY_NAME)  # the text details and the photo
    if unknown:
        raise TypeError(f"Not a personal detail: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        for name, needs_approval in rules.items():
            FieldRule.objects.update_or_create(
                field=name, defaults={"needs_approval": needs_approval, "updated_by": user}
            )
    return field_rules()
