"""HR web app pages: home, directory, profiles, edit, org chart and my profile. Thin: read
through employees.selectors, write through employees.services."""

from __future__ import annotations

import copy
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from math import ceil
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from accounts.decorators import has_employee_record, hr_admin_required, signed_in_required
from accounts.roles import is_hr_admin
from accounts.services import HR_ADMIN_HISTORY_KEY
from audit.actor import Actor
from audit.display import history_rows
from audit.models import ChangeAction, Channel
from custom_fields import values as custom_values
from custom_fields.forms import put_errors
from custom_fields.models import CustomField
from custom_fields.selectors import (
    custom_field_list,
    custom_fields_for_employee_view,
    custom_fields_for_everyone,
)
from employees.custom_values import CUSTOM_PREFIX
from employees.forms import DeactivateForm, DirectoryFilterForm, EmployeeForm, MyCustomFieldsForm
from employees.models import Employee
from employees.selectors import (
    employee_by_user_name,
    employee_direct_reports,
    employee_directory,
    employee_export,
    employee_filter_options,
    employee_filter_options_forget,
    employee_get,
    employee_headcount,
    employee_history,
    employee_manager_chain,
    employee_recent_changes,
    employee_recent_joiners,
    employee_recent_leavers,
    employee_team_options,
    employee_teams,
    org_chart_nodes,
)
from employees.services import (
    VersionConflict,
    employee_create,
    employee_deactivate,
    employee_reactivate,
    employee_update,
)

DIRECTORY_PAGE_SIZE = 50
MAX_DIRECTORY_PAGE = 100_000
REPORTS_PAGE_SIZE = 25
ORG_CHART_PAGE_SIZE = 50
HISTORY_LIMIT = 50
SUGGESTIONS_LIMIT = 10
# A team larger than this shows as a grid under its manager rather than one wide row.
ORG_CHART_STACK_OVER = 6
FRAGMENT_HEADER = "X-Requested-With"
FRAGMENT_VALUE = "fetch"
CSV_COLUMNS = [
    ("public_id", "Id"),
    ("user_name", "User name"),
    ("given_name", "Given name"),
    ("family_name", "Family name"),
    ("display_name", "Display name"),
    ("title", "Title"),
    ("work_email", "Work email"),
    ("work_phone", "Work phone"),
    ("employee_number", "Employee number"),
    ("department", "Department"),
    ("cost_center", "Cost center"),
    ("division", "Division"),
    ("organization", "Organisation"),
    ("location", "Location"),
    ("employment_type", "Employment type"),
    ("manager", "Manager"),
    ("active", "Active"),
    ("start_date", "Start date"),
    ("end_date", "End date"),
    ("source", "Managed by"),
    ("last_synced_at", "Last synced"),
]


def _is_fragment(request: HttpRequest) -> bool:
    return request.headers.get(FRAGMENT_HEADER) == FRAGMENT_VALUE


def _web_actor(request: HttpRequest) -> Actor:
    return Actor(channel=Channel.WEB, user=request.user)


def _get_employee_or_404(public_id: Any, *, include_deleted: bool = False) -> Employee:
    employee = employee_get(public_id=public_id, include_deleted=include_deleted)
    if employee is None:
        raise Http404("No such employee.")
    return employee


@signed_in_required
def home(request: HttpRequest) -> HttpResponse:
    """Show HR the headcount and recent joiners and leavers; show employees their own profile."""
    if not is_hr_admin(request.user):
        if has_employee_record(request.user):
            return _my_profile_page(request)
        return _no_profile_page(request)
    today = timezone.localdate()
    context = {
        "counts": employee_headcount(),
        "joiners": employee_recent_joiners(today=today),
        "leavers": employee_recent_leavers(today=today),
        "created": employee_recent_changes(action=ChangeAction.CREATED),
        "deactivated": employee_recent_changes(action=ChangeAction.DEACTIVATED),
    }
    return render(request, "employees/home.html", context)


@hr_admin_required
def directory(request: HttpRequest) -> HttpResponse:
    """List employees with search, filters, sorting and pages; a fetch gets the results only."""
    form = DirectoryFilterForm(
        request.GET,
        options=employee_filter_options(),
        teams=employee_team_options(),
        custom_definitions=custom_field_list(),
    )
    filters = form.selector_filters()
    page = DirectoryPage.read(
        employee_directory(**filters),
        number=request.GET.get("page"),
        # Counting every match of a search means reading the whole table on each keystroke;
        # a search shows "Next" when there is more instead of a total.
        count=not filters["search"],
    )
    context = {"form": form, "page": page, "sort": filters["sort"]}
    template = "employees/_directory_results.html" if _is_fragment(request) else None
    response = render(request, template or "employees/directory.html", context)
    patch_vary_headers(response, [FRAGMENT_HEADER])
    return response


@dataclass
class DirectoryPage:
    """One page of the directory; `count` is None when the matches were not counted."""

    object_list: list[Employee]
    number: int
    per_page: int
    has_next: bool
    count: int | None

    @classmethod
    def read(cls, queryset: Any, *, number: Any, count: bool) -> DirectoryPage:
        """Read one page (one row more than shown, to know whether a next page exists)."""
        try:
            number = max(1, min(int(number), MAX_DIRECTORY_PAGE))
        except (TypeError, ValueError):
            number = 1
        total = queryset.count() if count else None
        if total is not None:
            number = min(number, max(1, ceil(total / DIRECTORY_PAGE_SIZE)))
        offset = (number - 1) * DIRECTORY_PAGE_SIZE
        rows = list(queryset[offset : offset + DIRECTORY_PAGE_SIZE + 1])
        return cls(
            object_list=rows[:DIRECTORY_PAGE_SIZE],
            number=number,
            per_page=DIRECTORY_PAGE_SIZE,
            has_next=len(rows) > DIRECTORY_PAGE_SIZE,
            count=total,
        )

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)

    @property
    def num_pages(self) -> int | None:
        return None if self.count is None else max(1, ceil(self.count / self.per_page))


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


# Characters that make a spreadsheet run a cell as a formula (CSV injection), including the
# full-width forms that some spreadsheets read as their ASCII twins.
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
# Blanks that spreadsheets skip before looking for a formula.
LEADING_BLANKS = " \t\r\n\u00a0\u3000"


def _csv_cell(value: str) -> str:
    """Defuse a cell that a spreadsheet would run as a formula: an apostrophe keeps it text.

    Cells starting with a tab or carriage return are defused too. E.164 phone numbers and
    plain numbers (+ or - and digits, nothing before) are safe as they are.
    """
    if value[:1] in ("\t", "\r"):
        return "'" + value
    stripped = value.lstrip(LEADING_BLANKS)
    if stripped[:1] not in FORMULA_STARTS:
        return value
    if stripped is value and value[:1] in ("+", "-") and value[1:].isdigit():
        return value
    return "'" + value


def _csv_rows(employees: Iterator[Employee], definitions: list[CustomField]) -> Iterator[list[str]]:
    yield [label for _, label in CSV_COLUMNS] + [d.label for d in definitions]
    for employee in employees:
        values = {
            "manager": employee.manager.user_name if employee.manager else "",
            "active": "yes" if employee.active else "no",
            "source": "SCIM" if employee.is_scim_managed else "HR",
            "last_synced_at": employee.last_synced_at.isoformat()
            if employee.last_synced_at
            else "",
        }
        row = []
        for field, _label in CSV_COLUMNS:
            value = values[field] if field in values else getattr(employee, field)
            row.append(_csv_cell("" if value is None else str(value)))
        for definition in definitions:
            stored = employee.custom_fields.get(definition.name)
            row.append(_csv_cell(custom_values.export(definition, stored)))
        yield row


@hr_admin_required
def directory_export(request: HttpRequest) -> StreamingHttpResponse:
    """Stream the directory's current search and filters as CSV, custom fields included."""
    definitions = custom_field_list()
    form = DirectoryFilterForm(
        request.GET,
        options=employee_filter_options(),
        teams=employee_team_options(),
        custom_definitions=definitions,
    )
    employees = employee_export(**form.selector_filters()).iterator(chunk_size=2000)
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in _csv_rows(employees, definitions)),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="employees-{stamp}.csv"'
    return response


def _custom_rows(employee: Employee, definitions: list[CustomField]) -> list[dict[str, str]]:
    return [
        {
            "label": definition.label,
            "value": custom_values.display(definition, employee.custom_fields.get(definition.name)),
        }
        for definition in definitions
    ]


def _profile_context(request: HttpRequest, employee: Employee, *, hr_view: bool) -> dict:
    reports = Paginator(employee_direct_reports(manager=employee), REPORTS_PAGE_SIZE)
    all_definitions = custom_field_list()
    definitions = all_definitions if hr_view else custom_fields_for_employee_view(all_definitions)
    context = {
        "custom_rows": _custom_rows(employee, definitions),
        "may_edit_custom_fields": not hr_view and bool(definitions),
        "employee": employee,
        "chain": employee_manager_chain(employee),
        "reports": reports.get_page(request.GET.get("reports_page")),
        "hr_view": hr_view,
        "teams": list(employee_teams(employee=employee)),
    }
    if hr_view:
        labels = {f"{CUSTOM_PREFIX}{d.name}": d.label for d in all_definitions}
        labels[HR_ADMIN_HISTORY_KEY] = "HR admin role (from Entra ID)"
        history = employee_history(employee=employee, limit=HISTORY_LIMIT)
        context["history"] = history_rows(history, labels=labels)
        context["history_limit"] = HISTORY_LIMIT
    return context


@hr_admin_required
def profile(request: HttpRequest, public_id: str) -> HttpResponse:
    """Show every field of an employee, the manager chain, reports and change history.

    A deleted employee's profile stays readable for HR (the record and history are kept).
    """
    employee = _get_employee_or_404(public_id, include_deleted=True)
    return render(
        request, "employees/profile.html", _profile_context(request, employee, hr_view=True)
    )


@signed_in_required
def my_profile(request: HttpRequest) -> HttpResponse:
    """Show the signed-in person their own record, manager chain and reports."""
    if not has_employee_record(request.user):
        return _no_profile_page(request)
    return _my_profile_page(request)


def _no_profile_page(request: HttpRequest) -> HttpResponse:
    """Say why there is no profile and what to do; 403 when there is nothing else to open."""
    status = 404 if is_hr_admin(request.user) else 403
    return render(request, "employees/no_profile.html", status=status)


def _my_profile_page(request: HttpRequest) -> HttpResponse:
    employee = _get_employee_or_404(request.user.employee.public_id)
    hr_view = is_hr_admin(request.user)
    return render(
        request, "employees/profile.html", _profile_context(request, employee, hr_view=hr_view)
    )


@signed_in_required
def colleague(request: HttpRequest, public_id: str) -> HttpResponse:
    """Show an employee a colleague's card: work contact details, manager, and the custom
    fields an owner lets everyone see. HR open the full profile instead."""
    if is_hr_admin(request.user):
        return redirect("employees:profile", public_id=public_id)
    if not has_employee_record(request.user):
        raise PermissionDenied
    employee = _get_employee_or_404(public_id)
    if employee.pk == request.user.employee.pk:
        return redirect("employees:me")
    definitions = custom_fields_for_everyone(custom_field_list())
    context = {"employee": employee, "custom_rows": _custom_rows(employee, definitions)}
    return render(request, "employees/colleague.html", context)


def _save_form(
    request: HttpRequest, form: EmployeeForm, employee: Employee | None
) -> Employee | None:
    """Apply a valid form through the services; put their errors beside the fields."""
    try:
        if employee is None:
            saved = employee_create(actor=_web_actor(request), **form.service_data())
        else:
            saved = employee_update(
                employee=employee,
                actor=_web_actor(request),
                data=form.service_data(),
                expected_version=form.cleaned_data.get("version"),
            )
    except ValidationError as exc:
        rest = put_errors(form, exc)
        if rest is not None:
            form.add_error(None, rest)
    except VersionConflict:
        form.add_error(
            None,
            "Someone else changed this employee while you were editing. "
            "Reload the page to see their change, then make yours again.",
        )
    except Employee.DoesNotExist:
        raise Http404("No such employee.") from None
    else:
        employee_filter_options_forget()  # a new department shows up in the filters at once
        return saved
    return None


@hr_admin_required
@require_http_methods(["GET", "POST"])
def employee_new(request: HttpRequest) -> HttpResponse:
    """Create an employee."""
    form = EmployeeForm(request.POST or None, custom_definitions=custom_field_list())
    if request.method == "POST" and form.is_valid():
        employee = _save_form(request, form, None)
        if employee is not None:
            messages.success(request, f"{employee} was added.")
            return redirect("employees:profile", public_id=employee.public_id)
    return render(request, "employees/employee_form.html", {"form": form, "employee": None})


@hr_admin_required
@require_http_methods(["GET", "POST"])
def employee_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    """Edit an employee's HR fields."""
    employee = _get_employee_or_404(public_id)
    # The form validates a copy so that the page header keeps showing the saved record.
    form = EmployeeForm(
        request.POST or None,
        instance=copy.copy(employee),
        custom_definitions=custom_field_list(),
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_form(request, form, employee)
        if saved is not None:
            messages.success(request, f"Changes to {saved} were saved.")
            return redirect("employees:profile", public_id=saved.public_id)
    return render(request, "employees/employee_form.html", {"form": form, "employee": employee})


@signed_in_required
@require_http_methods(["GET", "POST"])
def my_custom_fields(request: HttpRequest) -> HttpResponse:
    """Let an employee edit the custom fields they may see on their own record."""
    if not has_employee_record(request.user):
        raise PermissionDenied
    employee = _get_employee_or_404(request.user.employee.public_id)
    definitions = custom_fields_for_employee_view(custom_field_list())
    if not definitions:
        raise Http404("There are no fields you can edit.")
    form = MyCustomFieldsForm(
        request.POST or None, employee=employee, custom_definitions=definitions
    )
    if request.method == "POST" and form.is_valid():
        try:
            employee_update(employee=employee, actor=_web_actor(request), data=form.service_data())
        except ValidationError as exc:
            rest = put_errors(form, exc)
            if rest is not None:
                form.add_error(None, rest)
        except Employee.DoesNotExist:
            raise Http404("No such employee.") from None
        else:
            messages.success(request, "Your details were saved.")
            return redirect("employees:me")
    return render(request, "employees/my_custom_fields.html", {"form": form, "employee": employee})


def _set_active(request: HttpRequest, public_id: str, *, active: bool) -> HttpResponse:
    employee = _get_employee_or_404(public_id)
    form = None
    if not active:
        initial = {"end_date": employee.end_date or timezone.localdate()}
        form = DeactivateForm(request.POST or None, initial=initial)
    context = {"employee": employee, "activating": active, "form": form}
    if request.method == "POST":
        if employee.active == active:
            state = "active" if active else "inactive"
            messages.info(request, f"{employee} is already {state}.")
        elif active:
            employee_reactivate(employee=employee, actor=_web_actor(request))
            messages.success(request, f"{employee} was reactivated.")
        elif form.is_valid():
            try:
                employee_deactivate(
                    employee=employee, actor=_web_actor(request), **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
                return render(request, "employees/confirm_active.html", context)
            messages.success(request, f"{employee} was deactivated.")
        else:
            return render(request, "employees/confirm_active.html", context)
        return redirect("employees:profile", public_id=employee.public_id)
    return render(request, "employees/confirm_active.html", context)


@hr_admin_required
@require_http_methods(["GET", "POST"])
def employee_deactivate_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Confirm, then mark an employee inactive."""
    return _set_active(request, public_id, active=False)


@hr_admin_required
@require_http_methods(["GET", "POST"])
def employee_reactivate_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """Confirm, then mark an inactive employee active again."""
    return _set_active(request, public_id, active=True)


@hr_admin_required
def employee_suggestions(request: HttpRequest) -> HttpResponse:
    """Return up to ten employees matching ?q= as <option>s, for the manager field."""
    search = request.GET.get("q", "").strip()[:200]
    people = list(employee_directory(search=search)[:SUGGESTIONS_LIMIT]) if search else []
    return render(request, "employees/_suggestions.html", {"people": people})


@hr_admin_required
def org_chart(request: HttpRequest) -> HttpResponse:
    """Show the manager tree from the top, or from any employee (?root=<id>), a level at a time."""
    root = None
    chain: list[Employee] = []
    root_id = request.GET.get("root")
    if root_id:
        root = _get_employee_or_404(root_id)
        chain = list(reversed(employee_manager_chain(root)))
    start = request.GET.get("start", "").strip()[:200]
    matches: list[Employee] = []
    if start:
        # A suggestion fills in the user name; a typed name is searched like the directory.
        found = employee_by_user_name(start)
        if found is None:
            matches = list(employee_directory(search=start)[: SUGGESTIONS_LIMIT + 1])
            found = matches[0] if len(matches) == 1 else None
        if found is not None:
            return redirect(f"{request.path}?root={found.public_id}")
        if not matches:
            messages.error(request, f"No employee matches “{start}”.")
    nodes = Paginator(org_chart_nodes(manager=root), ORG_CHART_PAGE_SIZE)
    context = {
        "root": root,
        "chain": chain,
        "nodes": nodes.get_page(request.GET.get("page")),
        "start": start,
        "matches": matches[:SUGGESTIONS_LIMIT],
        "more_matches": len(matches) > SUGGESTIONS_LIMIT,
        "STACK_OVER": ORG_CHART_STACK_OVER,
    }
    return render(request, "employees/org_chart.html", context)


@hr_admin_required
def org_chart_children(request: HttpRequest, public_id: str) -> HttpResponse:
    """Return one page of an employee's reports as an org-chart fragment (fetched on expand)."""
    manager = _get_employee_or_404(public_id)
    nodes = Paginator(org_chart_nodes(manager=manager), ORG_CHART_PAGE_SIZE)
    context = {"manager": manager, "nodes": nodes.get_page(request.GET.get("page"))}
    return render(request, "employees/_org_chart_children.html", context)
