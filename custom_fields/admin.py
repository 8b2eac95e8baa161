from django.contrib import admin

from custom_fields.models import CustomField


@admin.register(CustomField)
class CustomFieldAdmin(admin.ModelAdmin):
    """Read-only: owners change custom fields in Settings, where their values are kept in step."""

    list_display = ["label", "name", "field_type", "required", "visibility"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
