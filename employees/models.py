"""The employee record: the single source of truth for a person."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from audit.models import Audited, ChangeAction, ChangeRecord, Channel
from employees.validators import validate_e164

# Channel and ChangeAction are defined in audit and still importable from here.
__all__ = ["ChangeAction", "Channel", "Employee", "EmployeeChange", "EmploymentType"]


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", "Full time"
    PART_TIME = "part_time", "Part time"
    CONTRACTOR = "contractor", "Contractor"
    INTERN = "intern", "Intern"
    TEMPORARY = "temporary", "Temporary"


class EndReason(models.TextChoices):
    RESIGNED = "resigned", "Resigned"
    DISMISSED = "dismissed", "Dismissed"
    CONTRACT_ENDED = "contract_ended", "Contract ended"
    RETIRED = "retired", "Retired"
    REDUNDANCY = "redundancy", "Position eliminated"
    OTHER = "other", "Other"


class Employee(Audited, models.Model):
    """A person employed by the company, active or not; deleted ones are kept (soft delete)."""

    public_id = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="Stable opaque identifier shown to SCIM clients, the API and URLs.",
    )
    user_name = models.CharField(
        max_length=255,
        help_text="Sign-in name, e.g. alice@contoso.com. Unique regardless of letter case.",
    )
    external_id = models.CharField(
        max_length=255,
        blank=True,
        db_index=True,
        help_text="Identifier in the identity provider (Entra object id); case-exact.",
    )
    given_name = models.CharField(max_length=150)
    family_name = models.CharField(max_length=150)
    display_name = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=255, blank=True)
    work_email = models.EmailField(max_length=254)
    work_phone = models.CharField(
        max_length=32,
        blank=True,
        validators=[validate_e164],
        help_text="E.164 format, e.g. +16175551212.",
    )
    # How the identity provider wrote what Alexis keeps, so that SCIM answers with it: Entra
    # compares what it reads back with its source and would otherwise re-send it every cycle.
    work_email_primary = models.BooleanField(default=True)
    work_phone_primary = models.BooleanField(null=True, blank=True)
    work_phone_as_sent = models.CharField(max_length=64, blank=True)
    # False after a client removed `active` (RFC 7644 §3.5.2.2): the employee is inactive
    # and SCIM answers without `active` until a client states it again.
    active_stated = models.BooleanField(default=True)
    employee_number = models.CharField(max_length=64, blank=True)
    department = models.CharField(max_length=255, blank=True, db_index=True)
    cost_center = models.CharField(max_length=255, blank=True)
    division = models.CharField(max_length=255, blank=True)
    organization = models.CharField("organisation", max_length=255, blank=True)
    location = models.CharField(max_length=255, blank=True)
    # The managed records behind department, organization and location; the text fields
    # above hold the record's current name (kept in step by organisation.services).
    department_record = models.ForeignKey(
        "organisation.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
        verbose_name="department",
    )
    legal_entity = models.ForeignKey(
        "organisation.LegalEntity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
        verbose_name="legal entity",
    )
    location_record = models.ForeignKey(
        "organisation.Location",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
        verbose_name="location",
    )
    employment_type = models.CharField(max_length=20, blank=True, choices=EmploymentType.choices)
    # Personal details: the employee keeps them up to date themselves (see the self_service
    # app); Entra ID never sends them.
    preferred_name = models.CharField(
        max_length=150,
        blank=True,
        help_text="The name to call the person by, if not the given name.",
    )
    pronouns = models.CharField(max_length=50, blank=True, help_text="For example she/her.")
    personal_email = models.EmailField("personal email", max_length=254, blank=True)
    mobile_phone = models.CharField(
        "mobile phone",
        max_length=32,
        blank=True,
        validators=[validate_e164],
        help_text="E.164 format, e.g. +16175551213.",
    )
    home_address = models.TextField("home address", max_length=1000, blank=True)
    emergency_contacts = models.TextField(
        "emergency contacts",
        max_length=1000,
        blank=True,
        help_text="Name, relationship and phone number of each person; one person a line.",
    )
    manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direct_reports",
    )
    active = models.BooleanField(default=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(
        "leaving reason", max_length=20, blank=True, choices=EndReason.choices
    )
    photo_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="0 without a photo; a new number for each new photo (see the photos app).",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="sign-in account",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
        help_text=(
            "The sign-in account linked to this employee, if any. Owners link an existing "
            "account with the “Link the sign-in account” action."
        ),
    )
    last_synced_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the identity provider last changed this record over SCIM.",
    )
    entra_roles = models.JSONField(
        "Entra ID app roles",
        default=list,
        blank=True,
        help_text="The app roles Microsoft Entra ID assigns the employee (SCIM roles), as sent.",
    )
    custom_fields = models.JSONField(
        default=dict,
        blank=True,
        help_text="Values of the custom fields owners define, keyed by the field's name.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("user_name"),
                condition=Q(deleted_at__isnull=True),
                name="employee_user_name_ci_unique",
                violation_error_message="An employee with this user name already exists.",
            ),
            models.UniqueConstraint(
                fields=["employee_number"],
                condition=Q(deleted_at__isnull=True) & ~Q(employee_number=""),
                name="employee_number_unique",
                violation_error_message="An employee with this employee number already exists.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="employee_end_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
        ]
        indexes = [
            models.Index(fields=["family_name", "given_name", "id"], name="employee_name_order"),
            models.Index(fields=["manager", "family_name"], name="employee_reports"),
            # The HR directory lists live employees sorted by one of these columns (ties by
            # name, then id); partial indexes let a page read only the rows it shows.
            models.Index(
                fields=["family_name", "given_name", "id"],
                condition=Q(deleted_at__isnull=True),
                name="employee_live_by_name",
            ),
            models.Index(
                fields=["title", "family_name", "given_name", "id"],
                condition=Q(deleted_at__isnull=True),
                name="employee_live_by_title",
            ),
            models.Index(
                fields=["department", "family_name", "given_name", "id"],
                condition=Q(deleted_at__isnull=True),
                name="employee_live_by_department",
            ),
            models.Index(
                fields=["start_date", "family_name", "given_name", "id"],
                condition=Q(deleted_at__isnull=True),
                name="employee_live_by_start_date",
            ),
            # Home: the headcount (an index-only count) and recent leavers.
            models.Index(
                fields=["active"],
                condition=Q(deleted_at__isnull=True),
                name="employee_live_active",
            ),
            models.Index(
                fields=["end_date"],
                condition=Q(deleted_at__isnull=True, end_date__isnull=False),
                name="employee_live_by_end_date",
            ),
            # The dashboard's figures read these small indexes instead of the whole table:
            # headcount, joiners and leavers by start and end date; active people by
            # department and location.
            models.Index(
                fields=["start_date", "end_date", "active"],
                condition=Q(deleted_at__isnull=True),
                name="employee_live_dates",
            ),
            models.Index(
                fields=["department", "location"],
                condition=Q(deleted_at__isnull=True, active=True),
                name="employee_active_by_place",
            ),
            # Pages of current employees in id order (SCIM lists) skip rows on this index alone.
            models.Index(
                fields=["id"], condition=Q(deleted_at__isnull=True), name="employee_live_by_id"
            ),
        ]
        permissions = [
            ("view_employee_history", "Can view an employee's change history"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.user_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_scim_managed(self) -> bool:
        return self.last_synced_at is not None


class EmployeeChange(ChangeRecord):
    """One entry of an employee's change history: who changed what, when, through which channel."""

    subject_field = "employee"

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="changes")

    class Meta(ChangeRecord.Meta):
        indexes = [
            models.Index(fields=["employee", "-changed_at"], name="employee_change_recent"),
        ]
