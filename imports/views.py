"""HR pages for importing employees: upload, map the columns, preview, apply, the result."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import hr_admin_required
from alexis.service_errors import add_service_errors
from custom_fields.selectors import custom_field_list
from imports.columns import all_columns
from imports.forms import MappingForm, UploadForm
from imports.models import EmployeeImport, ImportStatus, RowOutcome
from imports.selectors import import_error_file, import_get, import_list, import_rows
from imports.services import import_apply_start, import_check_start, import_upload

ROWS_PAGE_SIZE = 50
SHOW_CHOICES = (
    ("", "All rows"),
    (RowOutcome.ERROR, "Errors"),
    (RowOutcome.NEW, "New"),
    (RowOutcome.UPDATE, "Updates"),
    (RowOutcome.UNCHANGED, "Unchanged"),
)


def _import(public_id, *, with_file: bool = False) -> EmployeeImport:
    employee_import = import_get(public_id, with_file=with_file)
    if employee_import is None:
        raise Http404("No such import.")
    return employee_import


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        add_service_errors(form, error)
    else:
        form.add_error(None, error.messages)


@hr_admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """Upload a file; list the recent imports."""
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        try:
            employee_import = import_upload(
                uploaded_file=form.cleaned_data["file"], user=request.user
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return redirect("imports:detail", public_id=employee_import.public_id)
    return render(
        request,
        "imports/start.html",
        {"form": form, "imports": import_list(), "columns": all_columns(custom_field_list())},
    )


@hr_admin_required
@require_http_methods(["GET", "HEAD"])
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """Download an empty file with every column, custom fields included."""
    columns = all_columns(custom_field_list())
    headers = [column.header for column in columns]
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerow(headers)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            _template_workbook(columns),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404("No such template.")
    response["Content-Disposition"] = f'attachment; filename="employee-import-template.{fmt}"'
    return response


def _template_workbook(columns) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Employees"
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    guide = workbook.create_sheet("Columns")
    guide.append(["Column", "Required for a new employee", "What to write"])
    for column in columns:
        guide.append([column.header, "Yes" if column.required else "", column.help])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@hr_admin_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_detail(request: HttpRequest, public_id) -> HttpResponse:
    """The import as it stands: the mapping step, the progress, the preview or the result."""
    employee_import = _import(public_id)
    context: dict = {"import": employee_import}
    if employee_import.status in (ImportStatus.MAPPING, ImportStatus.PREVIEW, ImportStatus.FAILED):
        columns = all_columns(custom_field_list())
        form = MappingForm(
            request.POST if request.method == "POST" else None,
            headers=employee_import.headers,
            columns=columns,
            initial_mapping={int(k): v for k, v in employee_import.mapping.items()},
            initial={"override_entra": employee_import.override_entra},
        )
        if request.method == "POST" and form.is_valid():
            try:
                import_check_start(
                    employee_import=employee_import,
                    mapping=form.mapping(),
                    override_entra=form.cleaned_data["override_entra"],
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                return redirect("imports:detail", public_id=employee_import.public_id)
        context["form"] = form
    elif request.method == "POST":
        messages.error(request, "This import is already running or done.")
        return redirect("imports:detail", public_id=employee_import.public_id)
    if employee_import.status in (
        ImportStatus.PREVIEW,
        ImportStatus.APPLIED,
        ImportStatus.APPLYING,
    ):
        show = request.GET.get("show", "")
        if show not in dict(SHOW_CHOICES) and show != "failed":
            show = ""
        page = Paginator(import_rows(employee_import, outcome=show), ROWS_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        labels = {column.key: column.header for column in all_columns(custom_field_list())}
        for row in page.object_list:
            row.labelled_changes = [
                (labels.get(key, key), old, new) for key, (old, new) in row.changes.items()
            ]
        context.update(page=page, show=show, show_choices=SHOW_CHOICES)
    return render(request, "imports/detail.html", context)


@hr_admin_required
@require_POST
def import_apply(request: HttpRequest, public_id) -> HttpResponse:
    """Start importing the checked rows in the background."""
    employee_import = _import(public_id)
    try:
        import_apply_start(employee_import=employee_import, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("imports:detail", public_id=employee_import.public_id)


@hr_admin_required
@require_http_methods(["GET", "HEAD"])
def import_progress(request: HttpRequest, public_id) -> JsonResponse:
    """How far the checks or the import are, for the progress bar."""
    employee_import = _import(public_id)
    return JsonResponse(
        {
            "status": employee_import.status,
            "status_label": employee_import.get_status_display(),
            "processed": employee_import.processed_rows,
            "total": employee_import.progress_total,
            "percent": employee_import.progress_percent,
            "busy": employee_import.is_busy,
        }
    )


@hr_admin_required
@require_http_methods(["GET", "HEAD"])
def import_errors(request: HttpRequest, public_id) -> StreamingHttpResponse:
    """Download the rows with errors as CSV, with a column saying what is wrong."""
    employee_import = _import(public_id, with_file=True)
    response = StreamingHttpResponse(
        import_error_file(employee_import), content_type="text/csv; charset=utf-8"
    )
    stem = employee_import.filename.rsplit(".", 1)[0][:80] or "import"
    safe_stem = "".join(ch for ch in stem if ch.isalnum() or ch in "-_ ") or "import"
    response["Content-Disposition"] = f'attachment; filename="{safe_stem}-errors.csv"'
    return response
