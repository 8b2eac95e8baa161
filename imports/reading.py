"""Reading an uploaded CSV or Excel file row by row, without holding every row in memory."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator

from django.core.exceptions import ValidationError

CSV = "csv"
XLSX = "xlsx"
# Beyond this many columns a file is certainly not an employee list.
MAX_COLUMNS = 200


def file_format(filename: str, head: bytes) -> str:
    """Return "csv" or "xlsx" from the name and the first bytes; refuse anything else."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not head.startswith(b"PK"):
            raise ValidationError({"file": "This .xlsx file is damaged or not an Excel file."})
        return XLSX
    if name.endswith((".csv", ".txt")):
        return CSV
    if name.endswith(".xls"):
        raise ValidationError(
            {"file": "Old Excel files (.xls) cannot be read: save it as .xlsx or CSV."}
        )
    raise ValidationError({"file": "Upload a CSV file or an Excel workbook (.xlsx)."})


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    try:
        text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
        first = text.readline()
    except UnicodeDecodeError:
        raise ValidationError(
            {"file": "The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again."}
        ) from None
    delimiter = ";" if first.count(";") > first.count(",") else ","
    text.seek(0)
    try:
        for row in csv.reader(text, delimiter=delimiter):
            yield [value.strip() for value in row[:MAX_COLUMNS]]
    except UnicodeDecodeError:
        raise ValidationError(
            {"file": "The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again."}
        ) from None
    except csv.Error as exc:
        raise ValidationError({"file": f"The CSV file cannot be read: {exc}."}) from None


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        # read_only streams the sheet's XML instead of building every cell in memory.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ValidationError(
            {"file": "This .xlsx file is damaged or not an Excel file."}
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield [_cell(value) for value in row]
    finally:
        workbook.close()


def read_rows(content: bytes, fmt: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number as the spreadsheet shows it, values) for every non-empty row,
    the header row (number 1 in a file without leading blank lines) included."""
    rows = _xlsx_rows(content) if fmt == XLSX else _csv_rows(content)
    for number, values in enumerate(rows, start=1):
        if any(values):
            yield number, values


def read_headers(content: bytes, fmt: str) -> tuple[int, list[str]]:
    """Return the header row's number and its headers; refuse a file without one."""
    for number, values in read_rows(content, fmt):
        while values and not values[-1]:
            values.pop()
        return number, values
    raise ValidationError({"file": "The file is empty."})


def data_rows(content: bytes, fmt: str) -> Iterator[tuple[int, list[str]]]:
    """Yield the rows below the header row."""
    rows = read_rows(content, fmt)
    next(rows, None)
    yield from rows
