"""Read-only Django admin for the provisioning log."""

from django.contrib import admin

from alexis.admin_utils import EstimatedCountPaginator
from provisioning.models import ProvisioningEvent


class OutcomeFilter(admin.SimpleListFilter):
    title = "outcome"
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return [("failed", "Failed (4xx/5xx)"), ("succeeded", "Succeeded")]

    def queryset(self, request, queryset):
        if self.value() == "failed":
            return queryset.filter(status__gte=400)
        if self.value() == "succeeded":
            return queryset.filter(status__lt=400)
        return queryset


@admin.register(ProvisioningEvent)
class ProvisioningEventAdmin(admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "method",
        "path",
        "status",
        "operation",
        "user_name",
        "token_name",
        "client_ip",
        "duration_ms",
    ]
    list_filter = [
        OutcomeFilter,
        "status",
        "operation",
        "token",
        ("occurred_at", admin.DateFieldListFilter),
    ]
    search_fields = ["^user_name", "=client_ip", "=resource_id"]
    list_select_related = ["token"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    readonly_fields = [field.name for field in ProvisioningEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
