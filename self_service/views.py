"""Pages of self-service: my personal details, HR's approvals and HR's rules."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import has_employee_record, hr_admin_required, signed_in_required
from accounts.roles import is_hr_admin
from alexis.service_errors import add_service_errors
from employees.models import Channel
from employees.selectors import employee_get
from employees.services import Actor
from photos.images import SIZES
from photos.services import employee_photo_remove, employee_photo_set, pending_photo_path
from self_service.fields import FIELDS_BY_NAME, PERSONAL_FIELDS, PHOTO
from self_service.forms import FieldRulesForm, PersonalDetailsForm
from self_service.models import ChangeRequest, ChangeRequestStatus
from self_service.selectors import (
    change_requests_decided_for,
    change_requests_pending,
    change_requests_pending_count,
    change_requests_pending_for,
    change_requests_recently_decided,
    field_rules,
)
from self_service.services import (
    change_request_approve,
    change_request_reject,
    field_rules_set,
    personal_details_submit,
    photo_change_request_submit,
    photo_needs_approval,
)


def _labels(names) -> str:
    return ", ".join(FIELDS_BY_NAME[name].label.lower() for name in names)


@signed_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def personal_details(request: HttpRequest) -> HttpResponse:
    """Let employees change their own personal details (some wait for HR's approval)."""
    if not has_employee_record(request.user):
        raise PermissionDenied
    employee = employee_get(public_id=request.user.employee.public_id)
    if employee is None:
        raise Http404("No such employee.")
    form = PersonalDetailsForm(request.POST or None, employee=employee)
    if request.method == "POST" and form.is_valid():
        try:
            result = personal_details_submit(
                employee=employee, user=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if result.applied:
                messages.success(request, f"Saved: {_labels(result.applied)}.")
            if result.pending:
                names = [change.field for change in result.pending]
                messages.info(request, f"Sent to HR for approval: {_labels(names)}.")
            if not result.applied and not result.pending:
                messages.info(request, "Nothing changed.")
            return redirect("self_service:personal-details")
    rules = field_rules()
    pending = change_requests_pending_for(employee)
    rows = [
        {
            "field": form[field.name],
            "needs_approval": rules[field.name],
            "pending": pending.get(field.name),
        }
        for field in PERSONAL_FIELDS
    ]
    context = {
        "form": form,
        "rows": rows,
        "employee": employee,
        "decided": list(change_requests_decided_for(employee)),
        "photo_needs_approval": rules[PHOTO],
        "pending_photo": pending.get(PHOTO),
    }
    return render(request, "self_service/personal_details.html", context)


@hr_admin_required
def approvals(request: HttpRequest) -> HttpResponse:
    """List the changes waiting for HR, oldest first, and the latest decisions."""
    context = {
        "pending": list(change_requests_pending()),
        "decided": list(change_requests_recently_decided()),
    }
    return render(request, "self_service/approvals.html", context)


def _change_request(public_id) -> ChangeRequest:
    change_request = (
        ChangeRequest.objects.select_related("employee").filter(public_id=public_id).first()
    )
    if change_request is None:
        raise Http404("No such change.")
    return change_request


@signed_in_required
@require_GET
def pending_photo(request: HttpRequest, public_id, size: int) -> FileResponse:
    """Return one size of a photo waiting for HR: to HR admins and the employee only."""
    if size not in SIZES:
        raise Http404("No such size.")
    change_request = (
        ChangeRequest.objects.select_related("employee")
        .filter(public_id=public_id, field=PHOTO, status=ChangeRequestStatus.PENDING)
        .first()
    )
    if change_request is None or not (
        is_hr_admin(request.user) or change_request.employee.user_id == request.user.pk
    ):
        raise Http404("No such photo.")  # the same answer whether it exists or not
    try:
        file = default_storage.open(pending_photo_path(change_request.new_value, size))
    except FileNotFoundError:
        raise Http404("No such photo.") from None
    response = FileResponse(file, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@hr_admin_required
@require_POST
def approve(request: HttpRequest, public_id) -> HttpResponse:
    """Apply a waiting change to the employee's record."""
    change_request = _change_request(public_id)
    try:
        change_request_approve(change_request=change_request, user=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Approved: {change_request.get_field_display().lower()} of {change_request.employee}.",
        )
    return redirect("self_service:approvals")


@hr_admin_required
@require_POST
def reject(request: HttpRequest, public_id) -> HttpResponse:
    """Turn down a waiting change, with an optional reason for the employee."""
    change_request = _change_request(public_id)
    try:
        change_request_reject(
            change_request=change_request,
            user=request.user,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Rejected: {change_request.get_field_display().lower()} of {change_request.employee}.",
        )
    return redirect("self_service:approvals")


@hr_admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    """HR chooses, per personal detail, whether employees' changes need approval."""
    form = FieldRulesForm(request.POST or None, rules=field_rules())
    if request.method == "POST" and form.is_valid():
        field_rules_set(rules=form.rules(), user=request.user)
        messages.success(request, "Saved the self-service settings.")
        return redirect("self_service:settings")
    return render(
        request,
        "self_service/settings.html",
        {
            "form": form,
            "pending_count": change_requests_pending_count(),
        },
    )


@signed_in_required
@require_POST
def photo_change(request: HttpRequest, public_id) -> HttpResponse:
    """Upload a new photo or remove it (HR admins, or the employee for themselves)."""
    employee = employee_get(public_id=public_id)
    if employee is None:
        raise Http404("No such employee.")
    if not (is_hr_admin(request.user) or employee.user_id == request.user.pk):
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
