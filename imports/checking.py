"""The preview's checks: each row of a file as new, an update (with its changes), unchanged
or an error naming the column and what is wrong.

Streams the file twice in batches: the first pass only collects each row's keys (user name,
email, employee number, manager), so that a manager may be a later row of the same file and
duplicates and manager cycles are found; the second pass checks every value against the
database one batch of rows at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db.models.functions import Lower

from custom_fields import values as custom_values
from custom_fields.models import CustomField
from employees.models import Employee, EmploymentType
from imports.columns import BY_KEY, CUSTOM_KEY_PREFIX, ENTRA_OWNED
from organisation.kinds import KINDS
from organisation.selectors import org_record_by_name

BATCH_SIZE = 1000
TEXT_LIMITS = {
    "user_name": 255,
    "given_name": 150,
    "family_name": 150,
    "display_name": 255,
    "title": 255,
    "employee_number": 64,
    "department": 255,
    "cost_center": 255,
    "division": 255,
    "organization": 255,
    "location": 255,
}
ORG_TEXT = {kind.employee_text: kind for kind in KINDS}
_email = EmailValidator()


def _lower(value: str) -> str:
    return value.strip().lower()


@dataclass
class Directory:
    """What the database holds that the checks compare with: every current employee's keys."""

    by_user_name: dict[str, str] = field(default_factory=dict)  # lower -> as stored
    by_email: dict[str, list[str]] = field(default_factory=dict)  # lower email -> lower names
    by_number: dict[str, str] = field(default_factory=dict)  # number -> lower user name
    manager_of: dict[str, str] = field(default_factory=dict)  # lower name -> lower manager

    @classmethod
    def load(cls) -> Directory:
        directory = cls()
        names: dict[int, str] = {}
        managers: list[tuple[str, int]] = []
        rows = Employee.objects.filter(deleted_at__isnull=True).values_list(
            "pk", "user_name", "work_email", "employee_number", "manager_id"
        )
        for pk, user_name, email, number, manager_id in rows.order_by().iterator(chunk_size=5000):
            key = user_name.lower()
            names[pk] = key
            directory.by_user_name[key] = user_name
            if email:
                directory.by_email.setdefault(email.lower(), []).append(key)
            if number:
                directory.by_number[number] = key
            if manager_id is not None:
                managers.append((key, manager_id))
        for key, manager_id in managers:
            if manager_id in names:
                directory.manager_of[key] = names[manager_id]
        return directory


@dataclass
class FileIndex:
    """Each row's keys, collected in a first pass over the file."""

    by_user_name: dict[str, int] = field(default_factory=dict)  # lower -> first row number
    user_names: dict[str, str] = field(default_factory=dict)  # lower -> as written
    by_email: dict[str, list[str]] = field(default_factory=dict)
    by_number: dict[str, list[str]] = field(default_factory=dict)
    duplicate_rows: dict[int, int] = field(default_factory=dict)  # row -> first row
    manager_refs: dict[str, str] = field(default_factory=dict)  # lower name -> reference


class Mapped:
    """A file row read through the mapping: {column key: (header, text)}."""

    def __init__(self, mapping: dict[int, str], headers: Sequence[str]) -> None:
        self.positions = sorted(mapping.items())
        self.headers = {
            key: headers[pos] if pos < len(headers) else key for pos, key in mapping.items()
        }

    def row(self, values: Sequence[str]) -> dict[str, str]:
        return {key: (values[pos] if pos < len(values) else "") for pos, key in self.positions}


def index_file(rows: Iterable[tuple[int, list[str]]], mapped: Mapped) -> tuple[FileIndex, int]:
    """First pass: collect each row's keys; return them and the number of rows."""
    index = FileIndex()
    count = 0
    for number, values in rows:
        count += 1
        row = mapped.row(values)
        user_name = row.get("user_name", "").strip()
        if not user_name:
            continue
        key = user_name.lower()
        if key in index.by_user_name:
            index.duplicate_rows[number] = index.by_user_name[key]
            continue
        index.by_user_name[key] = number
        index.user_names[key] = user_name
        email = _lower(row.get("work_email", ""))
        if email:
            index.by_email.setdefault(email, []).append(key)
        employee_number = row.get("employee_number", "").strip()
        if employee_number:
            index.by_number.setdefault(employee_number, []).append(key)
        if "manager" in row:
            index.manager_refs[key] = row["manager"].strip()
    return index, count


class ManagerProblem(Exception):
    pass


class Resolver:
    """Finds the manager a reference names, in the file or the database, and the cycles."""

    def __init__(self, index: FileIndex, directory: Directory) -> None:
        self.index = index
        self.directory = directory
        self.resolved: dict[str, str | None] = {}
        self.problems: dict[str, str] = {}
        for key, reference in index.manager_refs.items():
            try:
                self.resolved[key] = self.resolve(reference) if reference else None
            except ManagerProblem as exc:
                self.problems[key] = str(exc)
        self.cyclic = self._cycles()
        self.depths: dict[str, int] = {}

    def resolve(self, reference: str) -> str:
        """Return the lower-case user name of the employee a reference names."""
        wanted = reference.lower()
        if wanted in self.index.by_user_name or wanted in self.directory.by_user_name:
            return wanted
        for in_file, in_database, what in (
            (self.index.by_email.get(wanted, []), self.directory.by_email.get(wanted, []), "email"),
            (
                self.index.by_number.get(reference, []),
                [self.directory.by_number[reference]]
                if reference in self.directory.by_number
                else [],
                "employee number",
            ),
        ):
            candidates = set(in_file) | set(in_database)
            if len(candidates) == 1:
                return candidates.pop()
            if len(candidates) > 1:
                raise ManagerProblem(
                    f"Several employees have the {what} “{reference}”: give the manager's "
                    "user name instead."
                )
        raise ManagerProblem(
            f"Unknown manager “{reference}”: no employee in Alexis or in this file has this "
            "user name, email or employee number."
        )

    def manager(self, key: str) -> str | None:
        if key in self.resolved:
            return self.resolved[key]
        return self.directory.manager_of.get(key)

    def _cycles(self) -> set[str]:
        """Return the file's employees whose manager chain, after the import, comes back.

        Each employee is walked once: a walk stops at an employee already known to lead to
        the top (or into a cycle), so this is linear in the size of the organisation.
        """
        cyclic: set[str] = set()
        safe: set[str] = set()
        for start in self.resolved:
            path: list[str] = []
            on_path: set[str] = set()
            node: str | None = start
            while node is not None and node not in safe and node not in cyclic:
                if node in on_path:
                    cyclic.update(path[path.index(node) :])
                    break
                path.append(node)
                on_path.add(node)
                node = self.manager(node)
            safe.update(name for name in path if name not in cyclic)
        return cyclic

    def depth(self, key: str) -> int:
        """How many managers above this employee are rows of the same file (0: none).

        Managers are written before their reports in this order. Remembered per employee,
        so that the whole file costs one walk.
        """
        stack: list[str] = []
        node = key
        while node not in self.depths:
            manager = self.resolved.get(node)
            if manager is None or manager not in self.index.by_user_name or manager in self.cyclic:
                self.depths[node] = 0
                break
            stack.append(node)
            node = manager
        depth = self.depths[node]
        while stack:
            depth += 1
            self.depths[stack.pop()] = depth
        return self.depths[key]


@dataclass
class RowCheck:
    number: int
    user_name: str = ""
    outcome: str = "error"
    values: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, list[Any]] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    kept_for_entra: list[str] = field(default_factory=list)
    depth: int = 0
    manager_key: str | None = None


class Checker:
    """Checks rows one batch at a time; holds what every batch shares."""

    def __init__(
        self,
        *,
        mapped: Mapped,
        index: FileIndex,
        directory: Directory,
        custom_fields: list[CustomField],
        override_entra: bool,
    ) -> None:
        self.mapped = mapped
        self.index = index
        self.directory = directory
        self.resolver = Resolver(index, directory)
        self.custom = {
            f"{CUSTOM_KEY_PREFIX}{definition.name}": definition for definition in custom_fields
        }
        self.override_entra = override_entra
        self.org_names: dict[tuple[str, str], str | None] = {}

    def header(self, key: str) -> str:
        return self.mapped.headers.get(key, BY_KEY[key].header if key in BY_KEY else key)

    def org_name(self, text_field: str, name: str) -> str | None:
        """Return the current name of the record a name resolves to, None when unknown."""
        cache_key = (text_field, name.strip().lower())
        if cache_key not in self.org_names:
            record = org_record_by_name(ORG_TEXT[text_field], name)
            self.org_names[cache_key] = record.name if record is not None else None
        return self.org_names[cache_key]

    def check_batch(self, batch: Sequence[tuple[int, list[str]]]) -> list[RowCheck]:
        rows = [(number, self.mapped.row(values)) for number, values in batch]
        keys = [_lower(row.get("user_name", "")) for _, row in rows]
        existing = {
            employee.user_name.lower(): employee
            for employee in Employee.objects.filter(deleted_at__isnull=True)
            .annotate(lower_name=Lower("user_name"))
            .filter(lower_name__in=[key for key in keys if key])
            .select_related("manager")
            .order_by()
        }
        return [self.check_row(number, row, existing) for number, row in rows]

    def check_row(
        self, number: int, row: dict[str, str], existing: dict[str, Employee]
    ) -> RowCheck:
        check = RowCheck(number=number, user_name=row.get("user_name", "").strip())
        errors = check.errors

        def error(key: str, message: str) -> None:
            errors.append({"column": self.header(key), "message": message})

        key = check.user_name.lower()
        employee = existing.get(key) if key else None
        values: dict[str, Any] = {}
        if not check.user_name:
            error("user_name", "The user name is missing.")
        elif number in self.index.duplicate_rows:
            error(
                "user_name",
                f"Duplicate user name in the file: “{check.user_name}” is also on row "
                f"{self.index.duplicate_rows[number]}.",
            )
        for column_key, text in row.items():
            if column_key == "manager" or column_key.startswith(CUSTOM_KEY_PREFIX):
                continue
            try:
                values[column_key] = self._value(column_key, text, creating=employee is None)
            except ValidationError as exc:
                for message in exc.messages:
                    error(column_key, message)
        if employee is None:
            for column_key in ("given_name", "family_name", "work_email"):
                if column_key not in row:
                    errors.append(
                        {
                            "column": BY_KEY[column_key].header,
                            "message": "A new employee needs a "
                            f"{BY_KEY[column_key].header.lower()}: add the column.",
                        }
                    )
        self._check_dates(values, employee, error)
        self._check_number(values, key, error)
        custom: dict[str, Any] = {}
        for column_key, text in row.items():
            if column_key.startswith(CUSTOM_KEY_PREFIX) and column_key in self.custom:
                definition = self.custom[column_key]
                try:
                    custom[definition.name] = custom_values.parse(definition, text)
                except ValidationError as exc:
                    for message in exc.messages:
                        error(column_key, message)
        if "manager" in row and key and number not in self.index.duplicate_rows:
            if key in self.resolver.problems:
                error("manager", self.resolver.problems[key])
            elif key in self.resolver.cyclic:
                error(
                    "manager",
                    "Manager cycle: with this manager the employee would end up reporting to "
                    "themselves.",
                )
            else:
                check.manager_key = self.resolver.resolved.get(key)
                values["manager"] = self._manager_name(check.manager_key)
                check.depth = self.resolver.depth(key)
        if errors:
            return check
        if employee is None:
            check.outcome = "new"
            check.values = {k: v for k, v in values.items() if v not in ("", None)}
            if custom := {name: value for name, value in custom.items() if value is not None}:
                check.values["custom_fields"] = custom
            return check
        self._compare(check, employee, values, custom)
        return check

    def _manager_name(self, key: str | None) -> str | None:
        if key is None:
            return None
        return self.index.user_names.get(key) or self.directory.by_user_name.get(key, key)

    def _value(self, key: str, text: str, *, creating: bool) -> Any:
        if key in ("given_name", "family_name", "work_email") and not text:
            raise ValidationError(f"The {BY_KEY[key].header.lower()} is missing.")
        if key in TEXT_LIMITS and len(text) > TEXT_LIMITS[key]:
            raise ValidationError(f"Too long: at most {TEXT_LIMITS[key]} characters.")
        if key == "work_email":
            try:
                _email(text)
            except ValidationError:
                raise ValidationError(f"Invalid email address “{text}”.") from None
            return text
        if key == "work_phone":
            return _phone(text)
        if key == "employment_type":
            return _employment_type(text)
        if key in ("start_date", "end_date"):
            return _date(text, BY_KEY[key].header)
        if key in ORG_TEXT and text:
            return self.org_name(key, text) or text.strip()
        return text

    def _check_dates(self, values: dict[str, Any], employee: Employee | None, error) -> None:
        start = values.get("start_date", employee.start_date if employee else None)
        end = values.get("end_date", employee.end_date if employee else None)
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            error(
                "end_date" if "end_date" in values else "start_date",
                "Date order: the end date is before the start date.",
            )

    def _check_number(self, values: dict[str, Any], key: str, error) -> None:
        number = values.get("employee_number")
        if not number:
            return
        holders = {name for name in self.index.by_number.get(number, []) if name != key}
        holder = self.directory.by_number.get(number)
        if (
            holder is not None
            and holder != key
            and (holder not in self.index.by_user_name or holder in holders)
        ):
            holders.add(holder)
        if holders:
            error(
                "employee_number",
                f"Employee number {number} also belongs to {', '.join(sorted(holders))}.",
            )

    def _compare(
        self, check: RowCheck, employee: Employee, values: dict[str, Any], custom: dict[str, Any]
    ) -> None:
        entra = employee.is_scim_managed and not self.override_entra
        changes: dict[str, list[Any]] = {}
        for key, new in values.items():
            if key == "manager":
                old = employee.manager.user_name if employee.manager_id else None
                same = (old or "").lower() == (new or "").lower()
            elif key in ORG_TEXT:
                old = getattr(employee, key)
                same = old.strip().lower() == (new or "").strip().lower()
            else:
                old = getattr(employee, key)
                same = old == new
            if same:
                continue
            if entra and key in ENTRA_OWNED:
                check.kept_for_entra.append(BY_KEY[key].header)
                continue
            changes[key] = [_json(old), _json(new)]
        custom_changes = {}
        for name, new in custom.items():
            old = employee.custom_fields.get(name)
            if old != new:
                custom_changes[name] = new
                changes[f"{CUSTOM_KEY_PREFIX}{name}"] = [old, new]
        check.changes = changes
        check.outcome = "update" if changes else "unchanged"
        check.values = {key: values[key] for key in changes if key in values}
        if custom_changes:
            check.values["custom_fields"] = custom_changes


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _phone(text: str) -> str:
    if not text:
        return ""
    spelled = text[4:] if text[:4].lower() == "tel:" else text
    try:
        number = phonenumbers.parse(spelled, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            f"Invalid phone number “{text}”: write it with the country code, "
            "for example +46 8 123 456 78."
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _employment_type(text: str) -> str:
    if not text:
        return ""
    wanted = text.strip().lower().replace("-", " ").replace("_", " ")
    for value, label in EmploymentType.choices:
        if wanted in (value.replace("_", " "), label.lower()):
            return value
    labels = ", ".join(label for _, label in EmploymentType.choices)
    raise ValidationError(f"Unknown employment type “{text}”: use one of {labels}.")


def _date(text: str, label: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise ValidationError(
            f"Invalid {label.lower()} “{text}”: write it as 2026-03-01."
        ) from None


def batches(rows: Iterator[tuple[int, list[str]]], size: int = BATCH_SIZE):
    """Yield lists of at most `size` rows."""
    batch: list[tuple[int, list[str]]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
