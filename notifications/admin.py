"""Read-only admin of notifications, for staff answering "did I get told about...?"."""

from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "read_at", "emailed_at"]
    list_filter = ["kind", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
