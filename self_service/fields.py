"""The personal details employees edit themselves: one catalogue read by forms, rules and pages."""

from __future__ import annotations

from dataclasses import dataclass

from employees.models import Employee


@dataclass(frozen=True)
class PersonalField:
    name: str  # the Employee field (or "photo", kept by the photos app)
    needs_approval_by_default: bool
    title: str = ""  # when the name is not an Employee field

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        return str(Employee._meta.get_field(self.name).verbose_name).capitalize()


PERSONAL_FIELDS = (
    PersonalField("preferred_name", needs_approval_by_default=False),
    PersonalField("pronouns", needs_approval_by_default=False),
    PersonalField("personal_email", needs_approval_by_default=True),
    PersonalField("mobile_phone", needs_approval_by_default=False),
    PersonalField("home_address", needs_approval_by_default=True),
    PersonalField("emergency_contacts", needs_approval_by_default=False),
)
# The photo is uploaded on its own form and processed by the photos app; a change to it waits
# for HR only when HR says so (by default it applies at once, as it always did).
PHOTO = "photo"
PHOTO_FIELD = PersonalField(PHOTO, needs_approval_by_default=False, title="Photo")
# Every detail HR sets a rule for: the text details, then the photo.
RULE_FIELDS = (*PERSONAL_FIELDS, PHOTO_FIELD)
TEXT_FIELD_NAMES = frozenset(field.name for field in PERSONAL_FIELDS)
FIELDS_BY_NAME = {field.name: field for field in RULE_FIELDS}
FIELD_CHOICES = [(field.name, field.label) for field in RULE_FIELDS]
