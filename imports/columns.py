"""The columns of an employee import file, declared once for the template, header matching,
the mapping step, the preview and the docs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from custom_fields.models import CustomField

# Custom field columns are keyed "custom:<name>" in a mapping.
CUSTOM_KEY_PREFIX = "custom:"


@dataclass(frozen=True)
class Column:
    key: str  # the employee field, or "custom:<name>"
    header: str  # the template's header, what people read
    help: str = ""
    required: bool = False
    # Fields Microsoft Entra ID writes over SCIM: an import leaves them alone on employees
    # managed by provisioning unless HR ticks the override.
    entra_owned: bool = False
    synonyms: tuple[str, ...] = field(default=())


COLUMNS: tuple[Column, ...] = (
    Column(
        "user_name",
        "User name",
        "Sign-in name, e.g. ada@contoso.com. Identifies the employee: a row whose user name "
        "exists updates that employee.",
        required=True,
        entra_owned=True,
        synonyms=("username", "login", "userprincipalname", "upn"),
    ),
    Column(
        "given_name",
        "Given name",
        required=True,
        entra_owned=True,
        synonyms=("first name", "firstname", "forename"),
    ),
    Column(
        "family_name",
        "Family name",
        required=True,
        entra_owned=True,
        synonyms=("last name", "lastname", "surname"),
    ),
    Column("display_name", "Display name", entra_owned=True),
    Column("title", "Title", entra_owned=True, synonyms=("job title", "jobtitle", "position")),
    Column(
        "work_email",
        "Work email",
        required=True,
        entra_owned=True,
        synonyms=("email", "e-mail", "mail", "email address"),
    ),
    Column(
        "work_phone",
        "Work phone",
        "With the country code, e.g. +46 8 123 456 78.",
        entra_owned=True,
        synonyms=("phone", "telephone", "phone number", "telephonenumber"),
    ),
    Column(
        "employee_number",
        "Employee number",
        entra_owned=True,
        synonyms=("employee id", "employeeid", "employee no", "staff number"),
    ),
    Column("department", "Department", entra_owned=True),
    Column("cost_center", "Cost center", entra_owned=True, synonyms=("cost centre",)),
    Column("division", "Division", entra_owned=True),
    Column(
        "organization",
        "Legal entity",
        entra_owned=True,
        synonyms=("organization", "organisation", "company", "company name"),
    ),
    Column(
        "location",
        "Location",
        entra_owned=True,
        synonyms=("office", "office location", "physicaldeliveryofficename"),
    ),
    Column(
        "employment_type",
        "Employment type",
        "Full time, Part time, Contractor, Intern or Temporary.",
    ),
    Column(
        "manager",
        "Manager",
        "The manager's user name, work email or employee number; the manager may be a later "
        "row of the same file.",
        entra_owned=True,
        synonyms=("manager email", "manager user name", "reports to", "line manager"),
    ),
    Column("start_date", "Start date", "As 2026-03-01.", synonyms=("hire date", "started")),
    Column("end_date", "End date", "As 2026-03-01.", synonyms=("leaving date",)),
)
BY_KEY = {column.key: column for column in COLUMNS}
ENTRA_OWNED = frozenset(column.key for column in COLUMNS if column.entra_owned)


def normalise_header(header: str) -> str:
    """The form headers are matched in: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]+", "", (header or "").lower())


def custom_column(definition: CustomField) -> Column:
    return Column(
        f"{CUSTOM_KEY_PREFIX}{definition.name}",
        definition.label,
        f"Custom field ({definition.get_field_type_display()}).",
        synonyms=(definition.name,),
    )


def all_columns(custom_fields: Iterable[CustomField]) -> list[Column]:
    """Every column HR may import: the employee's fields, then each custom field."""
    return [*COLUMNS, *(custom_column(definition) for definition in custom_fields)]


def match_headers(headers: Sequence[str], columns: Sequence[Column]) -> dict[int, str]:
    """Map each file header that names a column (by its header, key or a synonym) to it.

    Returns {header position: column key}; a column is matched once, by its first header.
    """
    names: dict[str, str] = {}
    for column in columns:
        for name in (column.header, column.key, *column.synonyms):
            names.setdefault(normalise_header(name), column.key)
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for position, header in enumerate(headers):
        key = names.get(normalise_header(header))
        if key is not None and key not in taken:
            mapping[position] = key
            taken.add(key)
    return mapping
