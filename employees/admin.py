"""Django admin for staff: employees and their change history. Writes go through the services."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from accounts.roles import is_owner
from alexis.admin_utils import EstimatedCountPaginator
from audit.actor import Actor
from audit.admin import ChangeRecordAdmin, history_table
from audit.models import Channel
from employees.account_links import (
    account_link_problem,
    employee_account_link,
    employee_account_unlink,
)
from employees.forms import SCIM_MANAGED_FIELDS
from employees.models import Employee, EmployeeChange
from employees.selectors import employee_history
from employees.services import EDITABLE_FIELDS, employee_create, employee_delete, employee_update


class CachedValuesFilter(admin.SimpleListFilter):
    """Filter on a text field by its distinct values, read from the shared cache.

    Django's own field filter runs SELECT DISTINCT over the whole table on every page view;
    at 100,000 employees that costs more than the rest of the page together.
    """

    field_name = ""
    cache_seconds = 600

    def lookups(self, request, model_admin):
        def distinct_values():
            qs = model_admin.model.objects.exclude(**{self.field_name: ""}).order_by(
                self.field_name
            )
            return list(qs.values_list(self.field_name, flat=True).distinct()[:500])

        key = f"admin:distinct:{model_admin.model._meta.label_lower}:{self.field_name}"
        return [
            (value, value) for value in cache.get_or_set(key, distinct_values, self.cache_seconds)
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.field_name: self.value()})
        return queryset


class DepartmentFilter(CachedValuesFilter):
    title = "department"
    parameter_name = field_name = "department"


class DivisionFilter(CachedValuesFilter):
    title = "division"
    parameter_name = field_name = "division"


class DeletedFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("no", "Not deleted"), ("yes", "Deleted")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


def _accounts(count: int) -> str:
    return f"{count} sign-in account" if count == 1 else f"{count} sign-in accounts"


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = [
        "user_name",
        "given_name",
        "family_name",
        "title",
        "department",
        "manager_name",
        "active",
        "is_deleted",
    ]
    list_select_related = ["manager"]
    list_filter = ["active", DeletedFilter, DepartmentFilter, DivisionFilter]
    search_fields = ["given_name", "family_name", "user_name", "work_email", "=employee_number"]
    autocomplete_fields = ["manager"]
    readonly_fields = [
        "public_id",
        "version",
        "last_synced_at",
        "created_at",
        "updated_at",
        "deleted_at",
        "recent_changes",
        # Linking a sign-in account is an owner's confirmed action (see the actions below).
        "user",
    ]
    actions = ["link_sign_in_account", "unlink_sign_in_account"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["public_id", "user_name", "external_id", "active", "user"]}),
        ("Name", {"fields": ["given_name", "family_name", "display_name"]}),
        ("Work", {"fields": ["title", "work_email", "work_phone", "employee_number", "manager"]}),
        (
            "Organisation",
            {"fields": ["department", "cost_center", "division", "organization", "location"]},
        ),
        ("Employment", {"fields": ["employment_type", "start_date", "end_date", "end_reason"]}),
        (
            "Personal details",
            {
                "fields": [
                    "preferred_name",
                    "pronouns",
                    "personal_email",
                    "mobile_phone",
                    "home_address",
                    "emergency_contacts",
                ]
            },
        ),
        (
            "Record",
            {"fields": ["version", "last_synced_at", "created_at", "updated_at", "deleted_at"]},
        ),
        ("Change history", {"fields": ["recent_changes"]}),
    ]

    @admin.display(description="Manager", ordering="manager__family_name")
    def manager_name(self, obj):
        return obj.manager.full_name if obj.manager else ""

    @admin.display(description="Deleted", boolean=True)
    def is_deleted(self, obj):
        return obj.deleted_at is not None

    @admin.display(description="Recent changes")
    def recent_changes(self, obj):
        if obj.pk is None:
            return ""
        url = (
            reverse("admin:employees_employeechange_changelist") + f"?employee__id__exact={obj.pk}"
        )
        return history_table(employee_history(employee=obj, limit=20), full_history_url=url)

    def history_view(self, request, object_id, extra_context=None):
        # Alexis records every change in its own history (all channels, with field values);
        # the History button shows that instead of the admin's log of admin edits only.
        employee = self.get_object(request, object_id)
        if employee is None:
            return super().history_view(request, object_id, extra_context)
        url = reverse("admin:employees_employeechange_changelist")
        return redirect(f"{url}?employee__id__exact={employee.pk}")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["scim_managed"] = bool(obj is not None and obj.is_scim_managed)
        context["scim_managed_fields"] = sorted(
            Employee._meta.get_field(name).verbose_name for name in SCIM_MANAGED_FIELDS
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_change_permission(self, request, obj=None):
        # A deleted employee's record is kept for HR to read, not to edit.
        if obj is not None and obj.deleted_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        actor = Actor(channel=Channel.ADMIN, user=request.user)
        if not change:
            fields = {
                name: form.cleaned_data[name]
                for name in EDITABLE_FIELDS
                if name in form.cleaned_data
            }
            created = employee_create(actor=actor, **fields)
            obj.pk = created.pk
            return
        data = {
            name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE_FIELDS
        }
        if data:
            employee_update(employee=obj, actor=actor, data=data)

    def has_account_link_permission(self, request):
        return is_owner(request.user)

    @admin.action(
        description="Link the sign-in account with the same user name",
        permissions=["account_link"],
    )
    def link_sign_in_account(self, request, queryset):
        """Show which account each employee would get; link them once the owner confirms."""
        employees = list(queryset.filter(deleted_at__isnull=True)[: self.list_per_page])
        names = {employee.user_name.lower() for employee in employees}
        accounts = {
            account.lower_username: account
            for account in get_user_model()
            .objects.annotate(lower_username=Lower("username"))
            .filter(lower_username__in=names)
        }
        rows = []
        for employee in employees:
            account = accounts.get(employee.user_name.lower())
            if account is None:
                problem = "No sign-in account has this user name."
            else:
                problem = account_link_problem(employee=employee, user=account)
            rows.append({"employee": employee, "account": account, "problem": problem})
        if request.POST.get("confirm") != "yes":
            return self._confirmation(request, queryset, rows, "Link sign-in accounts")
        actor = Actor(channel=Channel.ADMIN, user=request.user)
        linked = 0
        for row in rows:
            if row["problem"]:
                continue
            try:
                employee_account_link(employee=row["employee"], user=row["account"], actor=actor)
            except (ValidationError, Employee.DoesNotExist) as exc:
                message = "; ".join(getattr(exc, "messages", ["The employee is deleted."]))
                self.message_user(request, f"{row['employee']}: {message}", messages.ERROR)
                continue
            linked += 1
        self.message_user(request, f"Linked {_accounts(linked)}.", messages.SUCCESS)
        return None

    @admin.action(description="Unlink the sign-in account", permissions=["account_link"])
    def unlink_sign_in_account(self, request, queryset):
        """Unlink the selected employees' sign-in accounts once the owner confirms."""
        employees = list(
            queryset.filter(deleted_at__isnull=True, user__isnull=False).select_related("user")[
                : self.list_per_page
            ]
        )
        rows = [{"employee": e, "account": e.user, "problem": ""} for e in employees]
        if request.POST.get("confirm") != "yes":
            return self._confirmation(request, queryset, rows, "Unlink sign-in accounts")
        actor = Actor(channel=Channel.ADMIN, user=request.user)
        for employee in employees:
            try:
                employee_account_unlink(employee=employee, actor=actor)
            except Employee.DoesNotExist:
                continue
        self.message_user(request, f"Unlinked {_accounts(len(employees))}.", messages.SUCCESS)
        return None

    def _confirmation(self, request, queryset, rows, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "rows": rows,
            "linkable": [row for row in rows if row["account"] and not row["problem"]],
            "action": request.POST.get("action"),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(
            request, "admin/employees/employee/sign_in_account_confirmation.html", context
        )

    def delete_model(self, request, obj):
        if obj.deleted_at is None:
            employee_delete(employee=obj, actor=Actor(channel=Channel.ADMIN, user=request.user))

    def delete_queryset(self, request, queryset):
        actor = Actor(channel=Channel.ADMIN, user=request.user)
        for employee in queryset.filter(deleted_at__isnull=True):
            employee_delete(employee=employee, actor=actor)


@admin.register(EmployeeChange)
class EmployeeChangeAdmin(ChangeRecordAdmin):
    search_fields = ["employee__user_name"]
