"""Writes of employee photos: set or remove, with the files in Django's storage and the
change in the employee's history."""

from __future__ import annotations

import time
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from employees.models import ChangeAction, Employee, EmployeeChange
from employees.services import Actor
from photos.images import SIZES, open_upload, square_crops


def photo_path(employee: Employee, size: int, version: int | None = None) -> str:
    """Return the storage name of one size of an employee's photo."""
    version = employee.photo_version if version is None else version
    return f"photos/{employee.public_id}/{version}/{size}.jpg"


def _delete_files(employee: Employee, version: int) -> None:
    for size in SIZES:
        default_storage.delete(photo_path(employee, size, version))


def _record(employee: Employee, actor: Actor, old: int, new: int) -> None:
    EmployeeChange.objects.create(
        employee=employee,
        action=ChangeAction.UPDATED,
        channel=actor.channel,
        actor_user=actor.user,
        actor_token=actor.token,
        changes={"photo": ["photo" if old else None, "new photo" if new else None]},
    )


def employee_photo_set(*, employee: Employee, actor: Actor, upload) -> Employee:
    """Validate an uploaded picture, store its square sizes and make it the employee's photo.

    Raises ValidationError({"photo": ...}) for a file that is not a usable picture; nothing
    is stored then. The files of the previous photo are deleted once the change commits.
    """
    return _set_crops(employee, actor, square_crops(open_upload(upload)))


def _set_crops(employee: Employee, actor: Actor, crops: dict[int, bytes]) -> Employee:
    old = employee.photo_version
    # A new number per photo, never reused after a removal: photo URLs carry it and are
    # cached for good by browsers.
    new = max(old + 1, int(time.time()))
    for size, data in crops.items():
        default_storage.save(photo_path(employee, size, new), ContentFile(data))
    try:
        with transaction.atomic():
            Employee.objects.filter(pk=employee.pk).update(
                photo_version=new, version=F("version") + 1, updated_at=timezone.now()
            )
            _record(employee, actor, old, new)
    except Exception:
        _delete_files(employee, new)
        raise
    if old:
        transaction.on_commit(lambda: _delete_files(employee, old))
    employee.photo_version = new
    return employee


def pending_photo_path(key: str, size: int) -> str:
    """Return the storage name of one size of a photo waiting for HR's approval."""
    return f"photos/pending/{uuid.UUID(key)}/{size}.jpg"


def pending_photo_save(*, upload) -> str:
    """Validate and process an upload exactly as a new photo, but keep it aside for HR.

    Returns the key that names the stored files (kept by the change request). Raises
    ValidationError({"photo": ...}) for a file that is not a usable picture; nothing is
    stored then.
    """
    crops = square_crops(open_upload(upload))
    key = str(uuid.uuid4())
    for size, data in crops.items():
        default_storage.save(pending_photo_path(key, size), ContentFile(data))
    return key


def pending_photo_delete(key: str) -> None:
    """Delete the files of a photo that waited for HR."""
    for size in SIZES:
        default_storage.delete(pending_photo_path(key, size))


def pending_photo_apply(*, employee: Employee, actor: Actor, key: str) -> Employee:
    """Make a photo that waited for HR the employee's photo; its history names the actor.

    Raises FileNotFoundError when the waiting files are gone. They are deleted once the
    change commits.
    """
    crops = {}
    for size in SIZES:
        with default_storage.open(pending_photo_path(key, size)) as file:
            crops[size] = file.read()
    employee = _set_crops(employee, actor, crops)
    transaction.on_commit(lambda: pending_photo_delete(key))
    return employee


def employee_photo_remove(*, employee: Employee, actor: Actor) -> Employee:
    """Remove the employee's photo: their initials show instead."""
    old = employee.photo_version
    if not old:
        return employee
    with transaction.atomic():
        Employee.objects.filter(pk=employee.pk).update(
            photo_version=0, version=F("version") + 1, updated_at=timezone.now()
        )
        _record(employee, actor, old, 0)
    transaction.on_commit(lambda: _delete_files(employee, old))
    employee.photo_version = 0
    return employee
