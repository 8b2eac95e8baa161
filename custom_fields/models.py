"""Custom fields: employee fields that owners define (a badge colour, a T-shirt size...).

A definition lives here; each employee's values live in `Employee.custom_fields`, a JSON
object keyed by the field's name (one row read for a profile, one GIN index for filters).
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

# The name is the key in the API and the SCIM attribute name (RFC 7643 §2.1 ATTRNAME, kept to
# letters and digits so that it is also a safe form field and JSON key).
NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9]{0,62}$"
validate_name = RegexValidator(
    NAME_PATTERN,
    "Use letters and digits only, starting with a letter (for example badgeColor).",
    code="invalid_name",
)


class FieldType(models.TextChoices):
    TEXT = "text", "Text"
    NUMBER = "number", "Number"
    DATE = "date", "Date"
    BOOLEAN = "boolean", "Yes/no"
    CHOICE = "choice", "One of a list"


class Visibility(models.TextChoices):
    HR = "hr", "HR only"
    EMPLOYEE = "employee", "HR and the employee"
    EVERYONE = "everyone", "Everyone"


class CustomField(models.Model):
    """One employee field defined by an owner: its name, type, choices and who sees it."""

    name = models.CharField(
        max_length=63,
        validators=[validate_name],
        help_text="Key in the API and SCIM attribute name, e.g. badgeColor. Cannot change later.",
    )
    label = models.CharField(max_length=100, help_text="What people read, e.g. Badge colour.")
    field_type = models.CharField(
        "type", max_length=10, choices=FieldType.choices, default=FieldType.TEXT
    )
    choices = models.JSONField(
        default=list, blank=True, help_text="The values offered by a one-of-a-list field."
    )
    required = models.BooleanField(
        default=False, help_text="HR must fill it in when adding or editing an employee."
    )
    visibility = models.CharField(
        "who may see and edit",
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.HR,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["label", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="custom_field_name_ci_unique",
                violation_error_message="A custom field with this name already exists.",
            ),
            models.UniqueConstraint(
                Lower("label"),
                name="custom_field_label_ci_unique",
                violation_error_message="A custom field with this label already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def employee_may_see(self) -> bool:
        """Whether the employee sees (and may edit) their own value."""
        return self.visibility in (Visibility.EMPLOYEE, Visibility.EVERYONE)
