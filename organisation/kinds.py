"""The three kinds of organisation record, declared once for services, SCIM, forms and pages."""

from __future__ import annotations

from dataclasses import dataclass

from audit.models import ChangeRecord
from organisation.models import (
    Alias,
    Department,
    DepartmentAlias,
    DepartmentChange,
    LegalEntity,
    LegalEntityAlias,
    LegalEntityChange,
    Location,
    LocationAlias,
    LocationChange,
    OrgRecord,
)


@dataclass(frozen=True)
class Kind:
    slug: str  # in URLs
    model: type[OrgRecord]
    alias_model: type[Alias]
    change_model: type[ChangeRecord]
    employee_fk: str  # the Employee foreign key to this kind
    employee_text: str  # the Employee text field holding the record's current name
    singular: str
    plural: str
    fields: tuple[str, ...]  # editable fields besides the name


DEPARTMENT = Kind(
    slug="departments",
    model=Department,
    alias_model=DepartmentAlias,
    change_model=DepartmentChange,
    employee_fk="department_record",
    employee_text="department",
    singular="department",
    plural="departments",
    fields=("parent", "head", "cost_center"),
)
LOCATION = Kind(
    slug="locations",
    model=Location,
    alias_model=LocationAlias,
    change_model=LocationChange,
    employee_fk="location_record",
    employee_text="location",
    singular="location",
    plural="locations",
    fields=("address", "country", "time_zone"),
)
LEGAL_ENTITY = Kind(
    slug="legal-entities",
    model=LegalEntity,
    alias_model=LegalEntityAlias,
    change_model=LegalEntityChange,
    employee_fk="legal_entity",
    employee_text="organization",
    singular="legal entity",
    plural="legal entities",
    fields=("registration_number", "country"),
)
KINDS = (DEPARTMENT, LOCATION, LEGAL_ENTITY)
BY_SLUG = {kind.slug: kind for kind in KINDS}
BY_MODEL = {kind.model: kind for kind in KINDS}
BY_EMPLOYEE_FK = {kind.employee_fk: kind for kind in KINDS}
