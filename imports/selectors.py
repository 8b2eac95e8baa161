"""Reads of employee imports: the list, one import, its rows and its errors as a file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import QuerySet

from imports.models import EmployeeImport, ImportRow, RowOutcome, RowResult
from imports.reading import data_rows

RECENT_IMPORTS = 20
ERROR_COLUMN = "Problems"


def import_list() -> QuerySet[EmployeeImport]:
    """The most recent imports, without their files."""
    return EmployeeImport.objects.defer("content").select_related("created_by")[:RECENT_IMPORTS]


def import_get(public_id, *, with_file: bool = False) -> EmployeeImport | None:
    """Return the import; its file (up to 50 MB) only when asked."""
    imports = EmployeeImport.objects.select_related("created_by")
    if not with_file:
        imports = imports.defer("content")
    return imports.filter(public_id=public_id).first()


def import_rows(employee_import: EmployeeImport, *, outcome: str = "") -> QuerySet[ImportRow]:
    """The rows of the preview, optionally of one outcome ("failed": not imported)."""
    rows = ImportRow.objects.filter(employee_import=employee_import)
    if outcome == "failed":
        return rows.filter(result=RowResult.FAILED)
    if outcome in RowOutcome.values:
        rows = rows.filter(outcome=outcome)
    return rows.order_by("row_number")


def _problems(row: ImportRow) -> str:
    return "; ".join(
        f"{error['column']}: {error['message']}" if error["column"] else error["message"]
        for error in row.errors
    )


def import_error_file(employee_import: EmployeeImport) -> Iterator[str]:
    """Yield a CSV of the rows with errors: the file's own columns as uploaded plus a
    "Problems" column, so that HR can fix them and upload the file again."""
    failing = {
        row.row_number: row
        for row in ImportRow.objects.filter(employee_import=employee_import)
        .exclude(errors=[])
        .only("row_number", "errors")
        .iterator(chunk_size=2000)
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(["Row", *employee_import.headers, ERROR_COLUMN])
    yield "\ufeff" + flush()
    if not failing:
        return
    for number, values in data_rows(bytes(employee_import.content), employee_import.file_format):
        row = failing.get(number)
        if row is None:
            continue
        padded = [*values, *[""] * (len(employee_import.headers) - len(values))]
        writer.writerow(
            [number, *(_safe(v) for v in padded[: len(employee_import.headers)]), _problems(row)]
        )
        yield flush()


def _safe(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") and not _is_number(value) else value


def _is_number(value: str) -> bool:
    try:
        float(value.replace(" ", ""))
    except ValueError:
        return False
    return True
