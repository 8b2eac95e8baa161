"""The personal details employees edit themselves: one catalogue read by forms, rules and pages."""

from __future__ import annotations

from dataclasses import dataclass

from employees.models import Employee


@dataclass(frozen=True)
class PersonalField:
    name: str  # the Employee field
    needs_approval_by_default: bool

    @property
    def label(self) -> str:
        return str(Employee._meta.get_field(self.name).verbose_name).capitalize()


PERSONAL_FIELDS = (
    PersonalField("preferred_name", needs_approval_by_default=False),
    PersonalField("pronouns", needs_approval_by_default=False),
    PersonalField("personal_email", needs_approval_by_default=True),
    PersonalField("mobile_phone", needs_approval_by_default=False),
    PersonalField("home_address", needs_approval_by_default=True),
    PersonalField("emergency_contacts", needs_approval_by_default=False),
)
FIELDS_BY_NAME = {field.name: field for field in PERSONAL_FIELDS}
FIELD_CHOICES = [(field.name, field.label) for field in PERSONAL_FIELDS]
