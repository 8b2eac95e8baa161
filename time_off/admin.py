"""Django admin for time off: staff inspect and correct; corrections of balances go through
the ledger (an adjustment with a reason), and requests show their history."""

from django.contrib import admin

from time_off.models import (
    Balance,
    LeaveType,
    LedgerEntry,
    Policy,
    PolicyAssignment,
    PublicHoliday,
    TimeOffRequest,
    TimeOffRequestChange,
)


@admin.register(LeaveType)
class LeaveTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "unit",
        "paid",
        "needs_approval",
        "needs_reason",
        "needs_attachment",
        "private",
        "archived_at",
    ]


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "leave_type", "yearly_allowance", "accrual", "work_week"]
    list_select_related = ["leave_type"]


@admin.register(PolicyAssignment)
class PolicyAssignmentAdmin(admin.ModelAdmin):
    list_display = ["employee", "policy"]
    raw_id_fields = ["employee"]
    list_select_related = ["employee", "policy"]


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "location", "source", "removed"]
    list_filter = ["source", "removed", "location"]
    date_hierarchy = "date"


class LedgerEntryInline(admin.TabularInline):
    model = LedgerEntry
    fields = ["effective_date", "kind", "amount", "description", "request", "created_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Balance)
class BalanceAdmin(admin.ModelAdmin):
    """Balances are read here; HR adjusts them with a reason on the balance page."""

    list_display = ["employee", "leave_type", "amount", "accrued_until"]
    list_select_related = ["employee", "leave_type"]
    search_fields = ["employee__user_name", "employee__family_name"]
    readonly_fields = ["employee", "leave_type", "amount", "accrued_until"]
    inlines = [LedgerEntryInline]

    def has_add_permission(self, request) -> bool:
        return False


class RequestChangeInline(admin.TabularInline):
    model = TimeOffRequestChange
    fields = ["changed_at", "action", "channel", "actor_user", "actor_token", "changes"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TimeOffRequest)
class TimeOffRequestAdmin(admin.ModelAdmin):
    """Requests with their history; they change through the app (approve, deny, cancel)."""

    list_display = ["employee", "leave_type", "start_date", "end_date", "amount", "status"]
    list_filter = ["status", "leave_type"]
    list_select_related = ["employee", "leave_type"]
    search_fields = ["employee__user_name", "employee__family_name"]
    date_hierarchy = "start_date"
    readonly_fields = [
        "employee",
        "leave_type",
        "start_date",
        "end_date",
        "starts_at_noon",
        "ends_at_noon",
        "hours",
        "amount",
        "status",
        "approver",
        "decided_by",
        "decided_at",
        "decision_comment",
        "note",
        "attachment_name",
        "attachment_content_type",
    ]
    inlines = [RequestChangeInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
