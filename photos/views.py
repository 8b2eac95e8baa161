"""Serve employee photos to signed-in people, and let HR or the employee change them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import signed_in_required
from accounts.roles import is_hr_admin
from employees.models import Channel, Employee
from employees.selectors import employee_get
from employees.services import Actor
from photos.images import SIZES
from photos.services import employee_photo_remove, employee_photo_set, photo_path
from self_service.services import photo_change_request_submit, photo_needs_approval


def _employee(public_id) -> Employee:
    employee = employee_get(public_id=public_id)
    if employee is None:
        raise Http404("No such employee.")
    return employee


def _may_change(request: HttpRequest, employee: Employee) -> bool:
    return is_hr_admin(request.user) or employee.user_id == request.user.pk


@signed_in_required
@require_GET
def photo(request: HttpRequest, public_id, size: int) -> FileResponse:
    """Return one size of a photo; its URL names the version, so browsers keep it for good."""
    if size not in SIZES:
        raise Http404("No such size.")
    employee = _employee(public_id)
    if not employee.photo_version:
        raise Http404("No photo.")
    try:
        file = default_storage.open(photo_path(employee, size))
    except FileNotFoundError:
        raise Http404("No photo.") from None
    response = FileResponse(file, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


@signed_in_required
@require_POST
def photo_change(request: HttpRequest, public_id) -> HttpResponse:
    """Upload a new photo or remove it (HR admins, or the employee for themselves)."""
    employee = _employee(public_id)
    if not _may_change(request, employee):
        raise PermissionDenied
    actor = Actor(channel=Channel.WEB, user=request.user)
    own = employee.user_id == request.user.pk and not is_hr_admin(request.user)
    if "remove" in request.POST:
        employee_photo_remove(employee=employee, actor=actor)
        messages.success(request, "The photo was removed.")
    elif "photo" not in request.FILES:
        messages.error(request, "Choose a photo to upload first.")
    elif own and photo_needs_approval():
        # HR approves the photos employees upload of themselves (Self-service settings).
        try:
            photo_change_request_submit(
                employee=employee, user=request.user, upload=request.FILES["photo"]
            )
        except ValidationError as exc:
            for message in exc.message_dict["photo"]:
                messages.error(request, message)
        else:
            messages.info(request, "Sent to HR for approval: photo.")
        return redirect("self_service:personal-details")
    else:
        try:
            employee_photo_set(employee=employee, actor=actor, upload=request.FILES["photo"])
        except ValidationError as exc:
            for message in exc.message_dict["photo"]:
                messages.error(request, message)
        else:
            messages.success(request, "The new photo is saved.")
    if own:
        return redirect("employees:me")
    return redirect("employees:profile", public_id=employee.public_id)
