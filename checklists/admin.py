from django.contrib import admin

from audit.admin import ChangeRecordAdmin
from checklists.models import ChecklistChange, ChecklistTaskChange, ChecklistTemplate


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    """Read-only: templates are edited on the Checklists pages, which version them."""

    list_display = ["name", "kind", "version", "active"]
    list_filter = ["kind", "active"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(ChecklistChange, ChangeRecordAdmin)
admin.site.register(ChecklistTaskChange, ChangeRecordAdmin)
