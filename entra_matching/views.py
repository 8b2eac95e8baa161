"""Owner pages of the Entra matching preview: upload Entra's users, see the report, fix."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import owner_required
from alexis.service_errors import add_service_errors
from employees.selectors import employee_get
from entra_matching.forms import EntraUsersForm
from entra_matching.models import EntraUserList
from entra_matching.parsing import parse_entra_csv, parse_pasted
from entra_matching.selectors import (
    SHOWN,
    entra_user_list_get,
    entra_user_list_latest,
    matching_report,
)
from entra_matching.services import entra_match_fix, entra_user_list_create

MAX_FILE_BYTES = 50 * 1024 * 1024


def _user_list(public_id) -> EntraUserList:
    user_list = entra_user_list_get(public_id)
    if user_list is None:
        raise Http404("No such list.")
    return user_list


@owner_required
@require_http_methods(["GET", "HEAD", "POST"])
def matching_start(request: HttpRequest) -> HttpResponse:
    """Upload Entra's user list or paste user principal names."""
    form = EntraUsersForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        try:
            uploaded = form.cleaned_data.get("file")
            if uploaded:
                if uploaded.size > MAX_FILE_BYTES:
                    raise ValidationError({"file": "The file is larger than 50 MB."})
                users, source = parse_entra_csv(uploaded.read()), uploaded.name
            else:
                users, source = parse_pasted(form.cleaned_data["pasted"]), "Pasted list"
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            user_list = entra_user_list_create(users=users, source=source, user=request.user)
            return redirect("entra_matching:report", public_id=user_list.public_id)
    return render(
        request,
        "entra_matching/start.html",
        {"form": form, "latest": entra_user_list_latest(), "section": "settings"},
    )


@owner_required
@require_http_methods(["GET", "HEAD"])
def matching_report_page(request: HttpRequest, public_id) -> HttpResponse:
    """The report, computed afresh against the employees as they are now."""
    user_list = _user_list(public_id)
    report = matching_report(user_list.users)
    return render(
        request,
        "entra_matching/report.html",
        {"user_list": user_list, "report": report, "shown": SHOWN, "section": "settings"},
    )


@owner_required
@require_POST
def matching_fix(request: HttpRequest, public_id) -> HttpResponse:
    """Apply one fix the owner chose: set an employee's user name or externalId."""
    user_list = _user_list(public_id)
    employee = employee_get(public_id=request.POST.get("employee", ""))
    if employee is None:
        raise Http404("No such employee.")
    try:
        index = int(request.POST.get("index", ""))
    except ValueError:
        raise Http404("No such Entra user.") from None
    fix = request.POST.get("fix", "")
    try:
        entra_match_fix(
            user_list=user_list, index=index, employee=employee, fix=fix, user=request.user
        )
    except ValidationError as exc:
        messages.error(request, f"{employee}: {' '.join(exc.messages)}")
    else:
        what = "user name" if fix == "user_name" else "externalId"
        value = user_list.users[index]["upn" if fix == "user_name" else "object_id"]
        messages.success(request, f"Set the {what} of {employee} to “{value}”.")
    return redirect("entra_matching:report", public_id=user_list.public_id)
