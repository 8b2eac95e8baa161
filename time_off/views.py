"""Pages of time off: my time off, requests, approvals, the calendar, settings and reports."""

from __future__ import annotations

import calendar as month_calendar
import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import hr_admin_required, role_required, signed_in_required
from accounts.roles import is_hr_admin
from alexis.service_errors import add_service_errors
from audit.actor import Actor
from audit.display import history_rows
from audit.models import Channel
from employees.models import Employee
from organisation.models import Department, Location
from teams.models import Team
from time_off import attachments, selectors, services
from time_off.forms import (
    AdjustmentForm,
    DecisionForm,
    HolidayAddForm,
    HolidayRegionForm,
    LeaveTypeForm,
    PolicyAssignmentForm,
    PolicyForm,
    RequestForm,
)
from time_off.ical import feed_calendar
from time_off.models import (
    Balance,
    HolidayRegion,
    LeaveType,
    Policy,
    PublicHoliday,
    Status,
    TimeOffRequest,
)

PAGE_SIZE = 50


def _has_employee(user: Any) -> bool:
    employee = getattr(user, "employee", None)
    return user.is_active and employee is not None and employee.deleted_at is None


employee_required = role_required(_has_employee)


def _actor(request: HttpRequest) -> Actor:
    return Actor(channel=Channel.WEB, user=request.user)


def _form_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's errors beside their fields; an error about no field goes on top."""
    if hasattr(exc, "error_dict"):
        add_service_errors(form, exc)
    else:
        form.add_error(None, exc)


@signed_in_required
def my_time_off(request: HttpRequest) -> HttpResponse:
    """The person's balances, requests and calendar feed (HR without a record: approvals)."""
    if not _has_employee(request.user):
        if is_hr_admin(request.user):
            return redirect("time_off:team")
        raise PermissionDenied
    employee = request.user.employee
    requests = Paginator(selectors.request_list_for(employee=employee), PAGE_SIZE)
    feed = selectors.feed_get(employee=employee)
    context = {
        "employee": employee,
        "balances": selectors.balance_list(employee=employee),
        "page": requests.get_page(request.GET.get("page")),
        "feed": feed,
        "feed_url": request.session.pop("time_off_feed_url", None),
        "is_manager": employee.direct_reports.filter(deleted_at__isnull=True).exists(),
    }
    return render(request, "time_off/mine.html", context)


@employee_required
def request_new(request: HttpRequest) -> HttpResponse:
    """Ask for time off: check the cost and the balance after, then send."""
    employee = request.user.employee
    quote = None
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "employee": employee,
                "leave_type": data["leave_type"],
                "start_date": data["start_date"],
                "end_date": data["end_date"],
                "starts_at_noon": data["starts_at_noon"],
                "ends_at_noon": data["ends_at_noon"],
                "hours": data["hours"],
            }
            try:
                if "send" in request.POST:
                    created = services.request_create(
                        **fields,
                        note=data["note"],
                        attachment=data["attachment"],
                        actor=_actor(request),
                    )
                    messages.success(
                        request,
                        "Time off approved."
                        if created.status == Status.APPROVED
                        else "Request sent for approval.",
                    )
                    return redirect("time_off:request", public_id=created.public_id)
                quote = services.request_quote(**fields)
            except ValidationError as exc:
                _form_errors(form, exc)
    else:
        form = RequestForm(initial={"start_date": request.GET.get("start")})
    context = {
        "form": form,
        "quote": quote,
        "attachment_chosen": quote is not None and bool(request.FILES.get("attachment")),
    }
    return render(request, "time_off/request_form.html", context)


def _request_or_404(request: HttpRequest, public_id: Any) -> TimeOffRequest:
    found = selectors.request_get(public_id=public_id)
    if found is None:
        raise Http404("No such request.")
    user = request.user
    if not (
        selectors.user_can_view_person(user=user, employee=found.employee)
        or selectors.user_can_decide(user=user, request=found)
    ):
        raise PermissionDenied
    return found


@signed_in_required
def request_attachment(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The file attached to a request, for the person, their approver and HR only."""
    found = selectors.request_get(public_id=public_id)
    if found is None or not found.attachment:
        raise Http404("No such attachment.")
    if not selectors.user_can_open_attachment(user=request.user, request=found):
        raise PermissionDenied
    return attachments.download(found)


@signed_in_required
def request_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """One request: its cost, status and history; approve, deny or cancel it here."""
    found = _request_or_404(request, public_id)
    today = timezone.localdate()
    context = {
        "req": found,
        "can_decide": found.status == Status.PENDING
        and selectors.user_can_decide(user=request.user, request=found),
        "can_cancel": services.user_can_cancel(user=request.user, request=found, today=today),
        "form": DecisionForm(),
        "history": history_rows(selectors.request_history(request=found)),
        "own": found.employee.user_id == request.user.pk,
        "can_open_attachment": bool(found.attachment)
        and selectors.user_can_open_attachment(user=request.user, request=found),
    }
    return render(request, "time_off/request_detail.html", context)


@require_POST
@signed_in_required
def request_decide(request: HttpRequest, public_id: Any) -> HttpResponse:
    found = _request_or_404(request, public_id)
    form = DecisionForm(request.POST)
    form.is_valid()
    approve = "approve" in request.POST
    try:
        services.request_decide(
            request=found,
            approve=approve,
            comment=form.cleaned_data.get("comment", ""),
            actor=_actor(request),
        )
    except ValidationError as exc:
        _form_errors(form, exc)
        context = {
            "req": found,
            "can_decide": True,
            "can_cancel": False,
            "form": form,
            "history": history_rows(selectors.request_history(request=found)),
            "can_open_attachment": bool(found.attachment)
            and selectors.user_can_open_attachment(user=request.user, request=found),
        }
        return render(request, "time_off/request_detail.html", context, status=400)
    messages.success(request, "Request approved." if approve else "Request denied.")
    return redirect("time_off:request", public_id=found.public_id)


@require_POST
@signed_in_required
def request_cancel(request: HttpRequest, public_id: Any) -> HttpResponse:
    found = _request_or_404(request, public_id)
    try:
        services.request_cancel(request=found, actor=_actor(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Request cancelled; its days are back in the balance.")
    return redirect("time_off:request", public_id=found.public_id)


@signed_in_required
def balance_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A balance line by line (the ledger), and its projection to the end of the leave year."""
    balance = selectors.balance_get(public_id=public_id)
    if balance is None:
        raise Http404("No such balance.")
    if not selectors.user_can_view_person(user=request.user, employee=balance.employee):
        raise PermissionDenied
    form = AdjustmentForm()
    if request.method == "POST":
        if not is_hr_admin(request.user):
            raise PermissionDenied
        form = AdjustmentForm(request.POST)
        if form.is_valid():
            try:
                services.balance_adjust(
                    balance=balance,
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                    actor=_actor(request),
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, "Balance adjusted.")
                return redirect("time_off:balance", public_id=balance.public_id)
    context = {
        "balance": balance,
        "lines": selectors.ledger_lines(balance=balance),
        "projection": selectors.balance_projection(balance=balance, today=timezone.localdate()),
        "form": form,
        "can_adjust": is_hr_admin(request.user),
    }
    return render(request, "time_off/balance.html", context)


@signed_in_required
def person(request: HttpRequest, public_id: Any) -> HttpResponse:
    """One person's balances and requests, for them, their manager and HR."""
    employee = get_object_or_404(Employee, public_id=public_id, deleted_at__isnull=True)
    if not selectors.user_can_view_person(user=request.user, employee=employee):
        raise PermissionDenied
    context = {
        "employee": employee,
        "balances": selectors.balance_list(employee=employee),
        "requests": selectors.request_list_for(employee=employee)[:PAGE_SIZE],
        "can_manage": is_hr_admin(request.user),
    }
    return render(request, "time_off/person.html", context)


@hr_admin_required
def person_policies(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Per leave type, the person's policy and why; HR sets one by hand or goes back to rules."""
    employee = get_object_or_404(Employee, public_id=public_id, deleted_at__isnull=True)
    applied = selectors.applied_policies(employee=employee)
    policies = selectors.policy_list()
    cards = []
    for item in applied:
        prefix = f"type-{item.leave_type.pk}"
        options = [policy for policy in policies if policy.leave_type_id == item.leave_type.pk]
        initial = {
            "policy": str(item.policy.pk) if item.by_hand else "",
            "work_days": list(item.own_work_week),
        }
        posted = request.method == "POST" and request.POST.get("leave_type") == prefix
        form = PolicyAssignmentForm(
            request.POST if posted else None, policies=options, prefix=prefix, initial=initial
        )
        if posted and form.is_valid():
            try:
                services.policy_assignment_set(
                    employee=employee,
                    leave_type=item.leave_type,
                    policy=form.cleaned_data["policy"],
                    work_week=form.cleaned_data["work_days"],
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, f"{item.leave_type}: policy saved.")
                return redirect("time_off:person-policies", public_id=employee.public_id)
        rules = selectors.policy_rules_label(item.policy) if item.policy else ""
        cards.append({"applied": item, "form": form, "prefix": prefix, "rules": rules})
    return render(request, "time_off/person_policies.html", {"employee": employee, "cards": cards})


@signed_in_required
def team(request: HttpRequest) -> HttpResponse:
    """Requests waiting for me (as manager, and HR's queue for HR admins), and my team."""
    employee = getattr(request.user, "employee", None)
    if employee is None and not is_hr_admin(request.user):
        raise PermissionDenied
    pending = Paginator(selectors.pending_for_approver(user=request.user), PAGE_SIZE)
    away = (
        selectors.team_away_today(manager=employee, today=timezone.localdate())[:PAGE_SIZE]
        if employee is not None
        else []
    )
    context = {"page": pending.get_page(request.GET.get("page")), "away": away}
    return render(request, "time_off/team.html", context)


def _month(raw: str | None) -> dt.date:
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


@signed_in_required
def absence_calendar(request: HttpRequest) -> HttpResponse:
    """Who is away in a month, filtered by department, location, team or my team."""
    first = _month(request.GET.get("month"))
    last = first.replace(day=month_calendar.monthrange(first.year, first.month)[1])
    people = Employee.objects.filter(deleted_at__isnull=True)
    own = getattr(request.user, "employee", None)
    chosen = {key: request.GET.get(key, "") for key in ("department", "location", "team", "mine")}
    if chosen["department"].isdigit():
        people = people.filter(department_record_id=int(chosen["department"]))
    if chosen["location"].isdigit():
        people = people.filter(location_record_id=int(chosen["location"]))
    if chosen["team"].isdigit():
        people = people.filter(team_memberships__team_id=int(chosen["team"]))
    if chosen["mine"] and own is not None:
        people = people.filter(Q(manager=own) | Q(pk=own.pk))
    try:
        page_number = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page_number = 1
    has_next, rows = selectors.calendar_month(
        first=first,
        last=last,
        people=people,
        viewer=request.user,
        offset=(page_number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    query = {key: value for key, value in chosen.items() if value}
    previous_month = (first - dt.timedelta(days=1)).replace(day=1)
    next_month = last + dt.timedelta(days=1)
    context = {
        "first": first,
        "days": [first + dt.timedelta(days=index) for index in range(last.day)],
        "rows": rows,
        "first_row": (page_number - 1) * PAGE_SIZE + 1,
        "last_row": (page_number - 1) * PAGE_SIZE + len(rows),
        "page_number": page_number,
        "has_next": has_next,
        "chosen": chosen,
        "query": "&".join(f"{key}={value}" for key, value in query.items()),
        "previous_month": f"{previous_month:%Y-%m}",
        "next_month": f"{next_month:%Y-%m}",
        "departments": Department.objects.filter(archived_at__isnull=True, merged_into=None),
        "locations": Location.objects.filter(archived_at__isnull=True, merged_into=None),
        "teams": Team.objects.filter(deleted_at__isnull=True),
    }
    return render(request, "time_off/calendar.html", context)


@require_POST
@employee_required
def feed_new(request: HttpRequest) -> HttpResponse:
    secret = services.feed_create(employee=request.user.employee)
    request.session["time_off_feed_url"] = request.build_absolute_uri(
        reverse("time_off:feed", kwargs={"secret": secret})
    )
    messages.success(request, "New calendar address made; the old one no longer works.")
    return redirect("time_off:mine")


@require_POST
@employee_required
def feed_revoke(request: HttpRequest) -> HttpResponse:
    services.feed_revoke(employee=request.user.employee)
    messages.success(request, "Calendar address turned off.")
    return redirect("time_off:mine")


def feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The person's time off as iCalendar, for Outlook and other calendars to subscribe to."""
    employee = services.feed_authenticate(secret)
    if employee is None:
        raise Http404("No such calendar.")
    body = feed_calendar(employee=employee, requests=selectors.requests_for_feed(employee=employee))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


def leave_type_colours(request: HttpRequest) -> HttpResponse:
    """The leave types' colours as a stylesheet (the pages allow no inline styles)."""
    rules = [
        f".absence-calendar .lt-{pk} {{ background: {color}; }}"
        for pk, color in LeaveType.objects.values_list("pk", "color")
    ]
    rules.append(".absence-calendar .lt-away { background: #777777; }")
    response = HttpResponse("\n".join(rules), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, max-age=60"
    return response


# --- Settings (HR) ---------------------------------------------------------------------------


@hr_admin_required
def settings_page(request: HttpRequest) -> HttpResponse:
    context = {
        "leave_types": selectors.leave_type_list(include_archived=True),
        "policies": selectors.policy_list(),
        "locations": Location.objects.filter(archived_at__isnull=True, merged_into=None),
        "regions": {region.location_id: region for region in HolidayRegion.objects.all()},
    }
    return render(request, "time_off/settings.html", context)


def _config_form(request, form_class, instance, template_title):
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.config_save(instance=form.save(commit=False))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"{template_title} saved.")
            return redirect("time_off:settings")
    return render(request, "time_off/config_form.html", {"form": form, "title": template_title})


@hr_admin_required
def leave_type_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(LeaveType, pk=pk) if pk else None
    return _config_form(request, LeaveTypeForm, instance, "Leave type")


@hr_admin_required
def policy_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Policy, pk=pk) if pk else None
    return _config_form(request, PolicyForm, instance, "Policy")


@hr_admin_required
def holidays(request: HttpRequest, location_id: int) -> HttpResponse:
    """A location's public holidays for a year: import, add a company day off, remove one."""
    location = get_object_or_404(Location, pk=location_id) if location_id else None
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    year = year if 1900 < year < 2200 else timezone.localdate().year
    region = HolidayRegion.objects.filter(location=location).first() if location else None
    region_form = HolidayRegionForm(
        initial={
            "country": region.country if region else (location.country if location else ""),
            "subdivision": region.subdivision if region else "",
        }
    )
    add_form = HolidayAddForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "region" and location is not None:
                region_form = HolidayRegionForm(request.POST)
                if region_form.is_valid():
                    services.holiday_region_set(location=location, **region_form.cleaned_data)
                    added = services.public_holidays_import(location=location, year=year)
                    messages.success(request, f"{added} public holidays added for {year}.")
                    return redirect(f"{request.path}?year={year}")
            elif action == "import" and location is not None:
                added = services.public_holidays_import(location=location, year=year)
                messages.success(request, f"{added} public holidays added for {year}.")
                return redirect(f"{request.path}?year={year}")
            elif action == "add":
                add_form = HolidayAddForm(request.POST)
                if add_form.is_valid():
                    services.public_holiday_add(location=location, **add_form.cleaned_data)
                    messages.success(request, "Day off added.")
                    return redirect(f"{request.path}?year={add_form.cleaned_data['date'].year}")
            elif action == "remove":
                holiday = get_object_or_404(
                    PublicHoliday, pk=request.POST.get("holiday"), location=location
                )
                services.public_holiday_remove(holiday=holiday)
                messages.success(request, f"{holiday.name} is now a working day.")
                return redirect(f"{request.path}?year={year}")
        except ValidationError as exc:
            target = region_form if action == "region" else add_form
            _form_errors(target, exc)
    context = {
        "location": location,
        "year": year,
        "holidays": selectors.holiday_list(
            location_id=location.pk if location else None, year=year
        ),
        "region": region,
        "region_form": region_form,
        "add_form": add_form,
    }
    return render(request, "time_off/holidays.html", context)


# --- Reports (payroll) -----------------------------------------------------------------------


@hr_admin_required
def reports(request: HttpRequest) -> HttpResponse:
    return render(request, "time_off/reports.html", {"year": timezone.localdate().year})


def _csv_response(name: str) -> tuple[HttpResponse, Any]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response, csv.writer(response)


def _cell(value: Any) -> str:
    """Keep a spreadsheet from running a cell as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@hr_admin_required
def report_balances(request: HttpRequest) -> HttpResponse:
    """Every person's balance per leave type."""
    response, writer = _csv_response("time-off-balances.csv")
    writer.writerow(["Employee number", "User name", "Name", "Leave type", "Unit", "Balance"])
    rows = Balance.objects.filter(employee__deleted_at__isnull=True).select_related(
        "employee", "leave_type"
    )
    for balance in rows.order_by(
        "employee__family_name", "employee__given_name", "leave_type__name"
    ):
        employee = balance.employee
        writer.writerow(
            [
                _cell(employee.employee_number),
                _cell(employee.user_name),
                _cell(employee.full_name),
                _cell(balance.leave_type.name),
                balance.leave_type.unit,
                f"{balance.amount:.2f}",
            ]
        )
    return response


@hr_admin_required
def report_taken(request: HttpRequest) -> HttpResponse:
    """Approved time off per person, leave type and month (by the month it starts)."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    response, writer = _csv_response(f"time-off-taken-{year}.csv")
    writer.writerow(
        ["Month", "Employee number", "User name", "Name", "Leave type", "Paid", "Unit", "Taken"]
    )
    rows = (
        TimeOffRequest.objects.filter(status=Status.APPROVED, start_date__year=year)
        .annotate(month=TruncMonth("start_date"))
        .values(
            "month",
            "employee__employee_number",
            "employee__user_name",
            "employee__given_name",
            "employee__family_name",
            "leave_type__name",
            "leave_type__paid",
            "leave_type__unit",
        )
        .annotate(taken=Sum("amount"))
        .order_by("month", "employee__family_name", "employee__user_name", "leave_type__name")
    )
    for row in rows:
        writer.writerow(
            [
                f"{row['month']:%Y-%m}",
                _cell(row["employee__employee_number"]),
                _cell(row["employee__user_name"]),
                _cell(f"{row['employee__given_name']} {row['employee__family_name']}"),
                _cell(row["leave_type__name"]),
                "yes" if row["leave_type__paid"] else "no",
                row["leave_type__unit"],
                f"{row['taken']:.2f}",
            ]
        )
    return response
