"""Django admin: endpoints and the delivery log, read-only (owners manage them in Settings)."""

from django.contrib import admin

from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ["url", "enabled", "failing_since", "created_at"]
    list_filter = ["enabled"]
    exclude = ["secret_encrypted"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "event_type", "event_id", "endpoint", "status", "attempts"]
    list_filter = ["status", "event_type"]
    list_select_related = ["endpoint"]
    search_fields = ["=event_id"]
    show_full_result_count = False


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(ReadOnlyAdmin):
    list_display = ["attempted_at", "delivery", "succeeded", "response_status", "error"]
    list_filter = ["succeeded"]
    list_select_related = ["delivery"]
    show_full_result_count = False
