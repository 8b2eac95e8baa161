"""Writes of employee imports: upload, map the columns, check (the preview) and apply.

Checking and applying run as background tasks (imports.tasks); the functions that do the
work (`import_check_run`, `import_apply_run`) are idempotent, as tasks must be.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone

from audit.actor import Actor
from audit.models import Channel
from custom_fields.selectors import custom_field_list
from employees.create_many import EmployeeRowInvalid, employee_create_many
from employees.custom_values import CUSTOM_PREFIX
from employees.models import Employee
from employees.services import employee_update
from imports.checking import ORG_TEXT, Checker, Directory, Mapped, batches, index_file
from imports.columns import BY_KEY, CUSTOM_KEY_PREFIX, ENTRA_OWNED, all_columns, match_headers
from imports.models import EmployeeImport, ImportRow, ImportStatus, RowOutcome, RowResult
from imports.reading import data_rows, file_format, read_headers
from jobs.queue import enqueue_on_commit
from organisation.services import org_record_link

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile

MAX_FILE_BYTES = 50 * 1024 * 1024
APPLY_BATCH_SIZE = 500
DATE_FIELDS = ("start_date", "end_date")
# An organisation record's foreign key -> the text field (and import column) it stands for.
FK_TEXT = {kind.employee_fk: text for text, kind in ORG_TEXT.items()}


def import_upload(*, uploaded_file: UploadedFile, user: User) -> EmployeeImport:
    """Keep an uploaded file, read its headers and match them to columns (nothing else)."""
    if uploaded_file.size is not None and uploaded_file.size > MAX_FILE_BYTES:
        raise ValidationError({"file": "The file is larger than 50 MB: split it in two."})
    content = uploaded_file.read()
    fmt = file_format(uploaded_file.name or "", content[:8])
    header_row, headers = read_headers(content, fmt)
    if not any(headers):
        raise ValidationError({"file": "The first row must hold the column headers."})
    mapping = match_headers(headers, all_columns(custom_field_list()))
    return EmployeeImport.objects.create(
        filename=(uploaded_file.name or "upload")[:255],
        file_format=fmt,
        content=content,
        header_row=header_row,
        headers=headers,
        mapping={str(position): key for position, key in mapping.items()},
        created_by=user,
    )


def import_check_start(
    *, employee_import: EmployeeImport, mapping: Mapping[int, str], override_entra: bool
) -> EmployeeImport:
    """Save the column mapping and queue the preview's checks."""
    if employee_import.is_busy or employee_import.status == ImportStatus.APPLIED:
        raise ValidationError("This import is already running or done.")
    chosen = [key for key in mapping.values() if key]
    if "user_name" not in chosen:
        raise ValidationError({"mapping": "Choose the column that holds the user name."})
    twice = sorted(
        {BY_KEY[key].header if key in BY_KEY else key for key in chosen if chosen.count(key) > 1}
    )
    if twice:
        raise ValidationError({"mapping": f"Each column can be chosen once: {', '.join(twice)}."})
    with transaction.atomic():
        employee_import.mapping = {str(position): key for position, key in mapping.items() if key}
        employee_import.override_entra = override_entra
        employee_import.status = ImportStatus.CHECKING
        employee_import.processed_rows = 0
        employee_import.save()
        from imports.tasks import import_check

        enqueue_on_commit(import_check, employee_import.pk)
    return employee_import


def _mapped(employee_import: EmployeeImport) -> Mapped:
    return Mapped(
        {int(position): key for position, key in employee_import.mapping.items()},
        employee_import.headers,
    )


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def import_check_run(*, import_id: int) -> EmployeeImport | None:
    """Check every row of the file and keep each row's outcome: the preview.

    Streams the file twice and writes the rows in batches; only the keys of the rows (user
    name, email, employee number, manager) are held for the whole file.
    """
    employee_import = EmployeeImport.objects.filter(pk=import_id).first()
    if employee_import is None or employee_import.status != ImportStatus.CHECKING:
        return employee_import
    content, fmt = bytes(employee_import.content), employee_import.file_format
    mapped = _mapped(employee_import)
    try:
        index, total = index_file(data_rows(content, fmt), mapped)
    except ValidationError as exc:
        employee_import.status = ImportStatus.FAILED
        employee_import.problem = " ".join(exc.messages)
        employee_import.save(update_fields=["status", "problem"])
        return employee_import
    ImportRow.objects.filter(employee_import=employee_import).delete()
    EmployeeImport.objects.filter(pk=import_id).update(total_rows=total, processed_rows=0)
    checker = Checker(
        mapped=mapped,
        index=index,
        directory=Directory.load(),
        custom_fields=custom_field_list(),
        override_entra=employee_import.override_entra,
    )
    counts = dict.fromkeys(RowOutcome.values, 0)
    error_keys: set[str] = set()
    processed = 0
    for batch in batches(data_rows(content, fmt)):
        checks = checker.check_batch(batch)
        ImportRow.objects.bulk_create(
            ImportRow(
                employee_import=employee_import,
                row_number=check.number,
                user_name=check.user_name[:255],
                outcome=check.outcome,
                values={key: _json(value) for key, value in check.values.items()},
                changes=check.changes,
                errors=check.errors,
                kept_for_entra=check.kept_for_entra,
                depth=check.depth,
            )
            for check in checks
        )
        for check in checks:
            counts[check.outcome] += 1
            if check.outcome == RowOutcome.ERROR and check.user_name:
                error_keys.add(check.user_name.lower())
        processed += len(batch)
        EmployeeImport.objects.filter(pk=import_id).update(processed_rows=processed)
    counts = _fail_reports_of_failed_managers(employee_import, checker, error_keys, counts)
    EmployeeImport.objects.filter(pk=import_id).update(
        status=ImportStatus.PREVIEW,
        new_count=counts[RowOutcome.NEW],
        update_count=counts[RowOutcome.UPDATE],
        unchanged_count=counts[RowOutcome.UNCHANGED],
        error_count=counts[RowOutcome.ERROR],
        checked_at=timezone.now(),
    )
    employee_import.refresh_from_db()
    return employee_import


def _fail_reports_of_failed_managers(
    employee_import: EmployeeImport, checker: Checker, error_keys: set[str], counts: dict
) -> dict:
    """A row whose manager is a new employee on a row with errors cannot be imported either."""
    resolver, directory = checker.resolver, checker.directory
    failing = {key for key in error_keys if key not in directory.by_user_name}
    blocked: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for key, manager in resolver.resolved.items():
            if manager in failing and key not in failing:
                failing.add(key)
                blocked[key] = manager
                changed = True
    if not blocked:
        return counts
    numbers = {checker.index.by_user_name[key]: manager for key, manager in blocked.items()}
    rows = ImportRow.objects.filter(employee_import=employee_import, row_number__in=numbers)
    header = checker.header("manager")
    for row in rows:
        if row.outcome == RowOutcome.ERROR:
            continue
        manager = numbers[row.row_number]
        counts[row.outcome] -= 1
        counts[RowOutcome.ERROR] += 1
        row.outcome = RowOutcome.ERROR
        row.errors = [
            {
                "column": header,
                "message": (
                    f"The manager “{checker.index.user_names.get(manager, manager)}” (row "
                    f"{checker.index.by_user_name.get(manager)}) has errors and will not be "
                    "imported: fix that row first."
                ),
            }
        ]
        row.values, row.changes = {}, {}
        row.save(update_fields=["outcome", "errors", "values", "changes"])
    return counts


def import_stopped(*, import_id: int) -> None:
    """Mark an import whose checks or import stopped on an unexpected error."""
    EmployeeImport.objects.filter(
        pk=import_id, status__in=[ImportStatus.CHECKING, ImportStatus.APPLYING]
    ).update(
        status=ImportStatus.FAILED,
        problem=(
            "The import stopped on an unexpected error; the rows imported before it are kept. "
            "An owner finds the error under Admin > Background tasks. Check the file again to "
            "import the rest: the rows already imported show as unchanged."
        ),
        finished_at=timezone.now(),
    )


def import_apply_start(*, employee_import: EmployeeImport, user: User) -> EmployeeImport:
    """Queue the import of the previewed rows (new and updated employees)."""
    with transaction.atomic():
        locked = EmployeeImport.objects.select_for_update().get(pk=employee_import.pk)
        if locked.status != ImportStatus.PREVIEW:
            raise ValidationError("Only a checked file can be imported, once.")
        if not locked.new_count and not locked.update_count:
            raise ValidationError("Nothing to import: every row is unchanged or has errors.")
        locked.status = ImportStatus.APPLYING
        locked.applied_by = user
        locked.applied_at = timezone.now()
        locked.processed_rows = 0
        locked.save()
        from imports.tasks import import_apply

        enqueue_on_commit(import_apply, locked.pk)
    return locked


class RowProblem(Exception):
    def __init__(self, row: ImportRow, column: str, message: str) -> None:
        super().__init__(message)
        self.row, self.column, self.message = row, column, message


def import_apply_run(*, import_id: int) -> EmployeeImport | None:
    """Write the previewed rows in batches, managers first; each batch all or nothing.

    Each row's preview is checked again against the data as it is now: an employee added or
    deleted since, a manager gone, or an employee Entra ID took over meanwhile.
    """
    employee_import = EmployeeImport.objects.filter(pk=import_id).first()
    if employee_import is None or employee_import.status != ImportStatus.APPLYING:
        return employee_import
    actor = Actor(channel=Channel.IMPORT, user=employee_import.applied_by)
    pending = ImportRow.objects.filter(
        employee_import=employee_import,
        outcome__in=[RowOutcome.NEW, RowOutcome.UPDATE],
        result=RowResult.PENDING,
    ).order_by("depth", "row_number")
    while batch := list(pending[:APPLY_BATCH_SIZE]):
        _apply_batch(employee_import, batch, actor)
    EmployeeImport.objects.filter(pk=import_id).update(
        status=ImportStatus.APPLIED, finished_at=timezone.now()
    )
    employee_import.refresh_from_db()
    return employee_import


def _apply_batch(employee_import: EmployeeImport, batch: list[ImportRow], actor: Actor) -> None:
    records: dict[tuple[str, str], Any] = {}
    try:
        with transaction.atomic():
            keys = [row.user_name.lower() for row in batch]
            managers = [row.values["manager"].lower() for row in batch if row.values.get("manager")]
            # The employees this batch updates are locked until it commits, in one query.
            employees = {
                employee.user_name.lower(): employee
                for employee in Employee.objects.select_for_update(of=("self",), no_key=True)
                .annotate(lower_name=Lower("user_name"))
                .filter(deleted_at__isnull=True, lower_name__in=keys)
                .select_related("manager")
                .order_by()
            }
            employees.update(
                (employee.user_name.lower(), employee)
                for employee in Employee.objects.annotate(lower_name=Lower("user_name"))
                .filter(deleted_at__isnull=True, lower_name__in=set(managers) - set(employees))
                .order_by()
            )
            # Level by level, managers before their reports: the new employees of a level
            # in one write, then its updates.
            levels: dict[int, list[ImportRow]] = {}
            for row in batch:
                levels.setdefault(row.depth, []).append(row)
            for depth in sorted(levels):
                level = levels[depth]
                new_rows = [row for row in level if row.outcome == RowOutcome.NEW]
                if new_rows:
                    _create_rows(new_rows, employees, records, actor)
                for row in level:
                    if row.outcome == RowOutcome.UPDATE:
                        _update_row(employee_import, row, employees, records, actor)
            ImportRow.objects.filter(pk__in=[row.pk for row in batch]).update(
                result=RowResult.APPLIED
            )
            EmployeeImport.objects.filter(pk=employee_import.pk).update(
                processed_rows=F("processed_rows") + len(batch),
                applied_count=F("applied_count") + len(batch),
            )
    except RowProblem as problem:
        failed = problem.row
        failed.errors = [*failed.errors, {"column": problem.column, "message": problem.message}]
        failed.result = RowResult.FAILED
        failed.save(update_fields=["errors", "result"])
        others = [row.pk for row in batch if row.pk != failed.pk]
        note = {
            "column": "",
            "message": f"Not imported: row {failed.row_number} of the same batch could not be "
            "imported, and a batch is imported whole or not at all. Import the file again.",
        }
        for row in ImportRow.objects.filter(pk__in=others):
            row.errors = [*row.errors, note]
            row.result = RowResult.FAILED
            row.save(update_fields=["errors", "result"])
        EmployeeImport.objects.filter(pk=employee_import.pk).update(
            processed_rows=F("processed_rows") + len(batch),
            failed_count=F("failed_count") + len(batch),
        )


def _problem(row: ImportRow, exc: ValidationError) -> RowProblem:
    """The first error of a service, named by the import's column."""
    if hasattr(exc, "error_dict"):
        field, messages = next(iter(exc.message_dict.items()))
    else:
        field, messages = "", exc.messages
    column = FK_TEXT.get(field, field).replace(CUSTOM_PREFIX, CUSTOM_KEY_PREFIX)
    return RowProblem(
        row, BY_KEY[column].header if column in BY_KEY else column, " ".join(messages)
    )


def _create_rows(
    rows: list[ImportRow], employees: dict[str, Employee], records: dict, actor: Actor
) -> None:
    for row in rows:
        if row.user_name.lower() in employees:
            raise RowProblem(
                row,
                BY_KEY["user_name"].header,
                f"An employee with the user name “{row.user_name}” was added after the "
                "preview: preview the file again.",
            )
    try:
        created = employee_create_many(
            actor=actor, rows=[_fields(row, employees, records, actor) for row in rows]
        )
    except EmployeeRowInvalid as invalid:
        raise _problem(rows[invalid.index], invalid.error) from None
    employees.update((employee.user_name.lower(), employee) for employee in created)


def _update_row(
    employee_import: EmployeeImport,
    row: ImportRow,
    employees: dict[str, Employee],
    records: dict,
    actor: Actor,
) -> None:
    employee = employees.get(row.user_name.lower())
    if employee is None:
        raise RowProblem(
            row,
            BY_KEY["user_name"].header,
            f"The employee “{row.user_name}” was deleted after the preview: preview the file "
            "again.",
        )
    fields = _fields(row, employees, records, actor)
    if employee.is_scim_managed and not employee_import.override_entra:
        # Entra ID may have taken the employee over since the preview.
        fields = {
            name: value
            for name, value in fields.items()
            if FK_TEXT.get(name, name) not in ENTRA_OWNED
        }
    try:
        employee_update(employee=employee, actor=actor, data=fields, already_locked=True)
    except ValidationError as exc:
        raise _problem(row, exc) from None


def _fields(
    row: ImportRow, employees: dict[str, Employee], records: dict, actor: Actor
) -> dict[str, Any]:
    """The row's values as the employee services take them."""
    fields = dict(row.values)
    for key in DATE_FIELDS:
        if fields.get(key):
            fields[key] = dt.date.fromisoformat(fields[key])
    if fields.get("manager"):
        manager = employees.get(fields["manager"].lower())
        if manager is None:
            manager = Employee.objects.filter(
                user_name__iexact=fields["manager"], deleted_at__isnull=True
            ).first()
        if manager is None:
            raise RowProblem(
                row,
                BY_KEY["manager"].header,
                f"The manager “{fields['manager']}” is no longer an employee: preview the file "
                "again.",
            )
        fields["manager"] = manager
    for text, kind in ORG_TEXT.items():
        if text in fields:
            name = fields.pop(text) or ""
            cache_key = (text, name.strip().lower())
            if cache_key not in records:
                records[cache_key] = org_record_link(kind=kind, name=name, actor=actor)
            fields[kind.employee_fk] = records[cache_key]
    return fields
