"""Time off: leave types, policies, public holidays, balances kept as a ledger, and requests.

Amounts are `Decimal` days (or hours for hourly types), never floats. A balance is the sum of
its ledger entries; `Balance.amount` keeps that sum so that a request can lock one row and
check it, and every write that adds an entry updates it in the same transaction.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from audit.models import Audited, ChangeRecord

ZERO = Decimal("0")


class Unit(models.TextChoices):
    DAYS = "days", "Days"
    HOURS = "hours", "Hours"


class LeaveType(models.Model):
    """A kind of time off (vacation, sick leave, ...) as HR configures it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("name", max_length=100, unique=True)
    unit = models.CharField(
        "counted in",
        max_length=10,
        choices=Unit.choices,
        default=Unit.DAYS,
        help_text="Days (whole or half) or hours.",
    )
    paid = models.BooleanField("paid", default=True)
    needs_approval = models.BooleanField(
        "needs approval",
        default=True,
        help_text="Requests wait for the manager (or HR); otherwise they are approved at once.",
    )
    needs_reason = models.BooleanField(
        "needs a reason", default=False, help_text="People must write a note with each request."
    )
    needs_attachment = models.BooleanField(
        "needs an attachment",
        default=False,
        help_text="People must attach a file (PDF, PNG or JPEG), such as a doctor's note.",
    )
    private = models.BooleanField(
        "private",
        default=False,
        help_text="Colleagues see “Away” on the calendar, not this type (e.g. sick leave).",
    )
    color = models.CharField(
        "colour",
        max_length=7,
        default="#2f6fdd",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Give a colour as #RRGGBB.")],
    )
    archived_at = models.DateTimeField("archived", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Accrual(models.TextChoices):
    UP_FRONT = "up_front", "Up front on the yearly reset date"
    MONTHLY = "monthly", "Monthly"


# Days of the week as Python counts them (Monday 0); a work week is a string of these digits.
WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class Policy(models.Model):
    """How much of one leave type people get, and who it applies to.

    A person's policy for a leave type is the one assigned to them by hand, otherwise the
    matching policy with the most rules (legal entity, location, department, employment
    type; empty rules match everyone), ties broken by the lowest priority number.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("name", max_length=100, unique=True)
    leave_type = models.ForeignKey(
        LeaveType, on_delete=models.PROTECT, related_name="policies", verbose_name="leave type"
    )
    yearly_allowance = models.DecimalField(
        "yearly allowance",
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
        help_text="Days (or hours) a full year of employment gives.",
    )
    accrual = models.CharField(
        "accrual", max_length=10, choices=Accrual.choices, default=Accrual.UP_FRONT
    )
    reset_month = models.PositiveSmallIntegerField(
        "yearly reset month", default=1, validators=[MinValueValidator(1)]
    )
    carry_over_limit = models.DecimalField(
        "carry-over limit",
        max_digits=7,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        help_text="What is left at the reset date carries over up to this much; the rest expires.",
    )
    carry_over_expiry_months = models.PositiveSmallIntegerField(
        "carried-over days expire after (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(11)],
        help_text="Carried-over days not used this many months after the reset date expire "
        "(1 to 11). Leave empty: they never expire.",
    )
    negative_limit = models.DecimalField(
        "negative balance allowed down to",
        max_digits=7,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        help_text="0 refuses any request beyond the balance; 5 lets it go down to -5.",
    )
    work_week = models.CharField(
        "working days",
        max_length=7,
        default="01234",
        validators=[RegexValidator(r"^[0-6]{1,7}$", "Choose at least one working day.")],
        help_text="The days a request costs (Monday 0 … Sunday 6).",
    )
    hours_per_day = models.DecimalField(
        "hours per working day", max_digits=4, decimal_places=2, default=Decimal("8")
    )
    legal_entity = models.ForeignKey(
        "organisation.LegalEntity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="legal entity",
    )
    location = models.ForeignKey(
        "organisation.Location",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="location",
    )
    department = models.ForeignKey(
        "organisation.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="department",
    )
    employment_type = models.CharField("employment type", max_length=20, blank=True)
    priority = models.PositiveSmallIntegerField("priority", default=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["leave_type__name", "priority", "name"]
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return self.name

    @property
    def working_weekdays(self) -> frozenset[int]:
        return frozenset(int(day) for day in self.work_week)

    @property
    def work_week_label(self) -> str:
        return work_week_label(self.work_week)


def work_week_label(work_week: str) -> str:
    """Name the days of a work week string ("012" → "Mon, Tue, Wed")."""
    return ", ".join(WEEKDAY_NAMES[int(day)] for day in sorted(work_week))


class PolicyAssignment(models.Model):
    """A policy given to one person by hand; it wins over the rules for its leave type.

    It may carry the person's own work week (part-time, say); empty means the policy's.
    """

    employee = models.ForeignKey(
        "employees.Employee", on_delete=models.CASCADE, related_name="time_off_policies"
    )
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="assignments")
    leave_type = models.ForeignKey(LeaveType, on_delete=models.CASCADE, related_name="+")
    work_week = models.CharField(
        "own working days",
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^[0-6]{0,7}$", "Choose days from Monday to Sunday.")],
        help_text="The days a request costs this person (Monday 0 … Sunday 6); "
        "empty: the policy's working days.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "leave_type"], name="time_off_one_assignment_per_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy} for {self.employee_id}"


class HolidaySource(models.TextChoices):
    PACKAGE = "package", "Public holiday"
    COMPANY = "company", "Company day off"


class PublicHoliday(models.Model):
    """A day nobody at a location works; without a location, a company day off for everyone.

    Holidays imported from the `holidays` package can be removed: the row stays with
    `removed` set, so that importing the year again does not bring it back.
    """

    location = models.ForeignKey(
        "organisation.Location",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="public_holidays",
    )
    date = models.DateField("date")
    name = models.CharField("name", max_length=200)
    source = models.CharField(max_length=10, choices=HolidaySource.choices)
    removed = models.BooleanField(default=False)

    class Meta:
        ordering = ["date", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "date"],
                name="time_off_holiday_unique",
                violation_error_message="This day is already a holiday here.",
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(location__isnull=True),
                name="time_off_company_day_unique",
                violation_error_message="This day is already a company day off.",
            ),
        ]
        indexes = [models.Index(fields=["date"], name="time_off_holiday_date")]

    def __str__(self) -> str:
        return f"{self.name} ({self.date})"


class HolidayRegion(models.Model):
    """Which country (and subdivision) a location's public holidays come from."""

    location = models.OneToOneField(
        "organisation.Location", on_delete=models.CASCADE, related_name="holiday_region"
    )
    country = models.CharField("country", max_length=2, help_text="Two-letter code, e.g. SE.")
    subdivision = models.CharField(
        "subdivision", max_length=10, blank=True, help_text="e.g. BY for Bavaria; optional."
    )

    def __str__(self) -> str:
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country


class Balance(models.Model):
    """One person's balance of one leave type: the sum of its ledger entries."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employee = models.ForeignKey(
        "employees.Employee", on_delete=models.CASCADE, related_name="time_off_balances"
    )
    leave_type = models.ForeignKey(LeaveType, on_delete=models.PROTECT, related_name="balances")
    amount = models.DecimalField(max_digits=9, decimal_places=2, default=ZERO)
    # The start of the last accrual period added: the daily job looks only at later ones.
    accrued_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["leave_type__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "leave_type"], name="time_off_one_balance_per_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.leave_type}: {self.amount}"


class EntryKind(models.TextChoices):
    ACCRUAL = "accrual", "Accrual"
    TAKEN = "taken", "Request"
    CANCELLATION = "cancellation", "Request cancelled or denied"
    ADJUSTMENT = "adjustment", "Adjustment by HR"
    CARRY_OVER = "carry_over", "Carry-over"
    EXPIRY = "expiry", "Expiry"


class LedgerEntry(models.Model):
    """One line of a balance: what added or took days, when, and why."""

    balance = models.ForeignKey(Balance, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    effective_date = models.DateField()
    description = models.CharField(max_length=255, blank=True)
    # RESTRICT, not PROTECT: a request alone cannot go while its lines explain the balance,
    # but deleting the employee takes their balances, lines and requests together.
    request = models.ForeignKey(
        "TimeOffRequest", null=True, blank=True, on_delete=models.RESTRICT, related_name="entries"
    )
    # Names the period an automatic entry is for ("accrual:2026-12"), so a job that runs
    # twice adds it once; empty for entries people make.
    key = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_date", "id"]
        verbose_name_plural = "ledger entries"
        constraints = [
            models.UniqueConstraint(
                fields=["balance", "key"], condition=~Q(key=""), name="time_off_entry_key_unique"
            )
        ]
        indexes = [models.Index(fields=["balance", "effective_date"], name="time_off_entry_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATUSES = (Status.PENDING, Status.APPROVED)


class TimeOffRequest(Audited, models.Model):
    """A request for time off: from the first to the last day, costing `amount`."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employee = models.ForeignKey(
        "employees.Employee", on_delete=models.CASCADE, related_name="time_off_requests"
    )
    leave_type = models.ForeignKey(
        LeaveType, on_delete=models.PROTECT, related_name="requests", verbose_name="leave type"
    )
    start_date = models.DateField("first day")
    end_date = models.DateField("last day")
    starts_at_noon = models.BooleanField(
        "first day from noon", default=False, help_text="Take only the afternoon of the first day."
    )
    ends_at_noon = models.BooleanField(
        "last day until noon", default=False, help_text="Take only the morning of the last day."
    )
    hours = models.DecimalField(
        "hours", max_digits=5, decimal_places=2, null=True, blank=True, help_text="Hourly types."
    )
    amount = models.DecimalField("cost", max_digits=7, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    note = models.TextField("note", blank=True)
    # An attached file (a doctor's note, ...) in Django's storage under a random name; the
    # person's own file name is kept only to name the download.
    attachment = models.CharField("attachment", max_length=255, blank=True, editable=False)
    attachment_name = models.CharField(
        "attachment file name", max_length=255, blank=True, editable=False
    )
    attachment_content_type = models.CharField(max_length=50, blank=True, editable=False)
    # The approver: the employee's manager, or None for HR (no manager or an inactive one).
    approver = models.ForeignKey(
        "employees.Employee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="time_off_to_approve",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField("comment", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="time_off_request_end_after_start",
                violation_error_message="The last day cannot be before the first day.",
            )
        ]
        indexes = [
            models.Index(fields=["employee", "start_date"], name="time_off_request_employee"),
            models.Index(
                fields=["start_date", "end_date"],
                condition=Q(status__in=["pending", "approved"]),
                name="time_off_request_open_dates",
            ),
            models.Index(
                fields=["approver", "created_at"],
                condition=Q(status="pending"),
                name="time_off_request_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leave_type} {self.start_date} to {self.end_date}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RequestAction(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"
    CANCELLED = "cancelled", "Cancelled"
    REASSIGNED = "reassigned", "Approver changed"


class TimeOffRequestChange(ChangeRecord):
    """One entry of a request's history: requested, approved, denied, cancelled, reassigned."""

    subject_field = "request"

    action = models.CharField(max_length=20, choices=RequestAction.choices)
    request = models.ForeignKey(TimeOffRequest, on_delete=models.CASCADE, related_name="changes")

    class Meta(ChangeRecord.Meta):
        indexes = [models.Index(fields=["request", "-changed_at"], name="time_off_change_recent")]


class CalendarFeed(models.Model):
    """A person's secret iCalendar feed address; only a keyed digest of the secret is kept."""

    employee = models.OneToOneField(
        "employees.Employee", on_delete=models.CASCADE, related_name="time_off_feed"
    )
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    last_four = models.CharField(max_length=4)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Feed …{self.last_four}"
