"""Read-only admin for access tokens and their audit trail; never shows a digest or secret."""

from django.contrib import admin
from django.http import HttpRequest

from access_tokens.models import AccessToken, AccessTokenEvent
from access_tokens.selectors import access_token_list, token_status


class ReadOnlyAdmin(admin.ModelAdmin):
    """Tokens are created and revoked in Settings > Access tokens, which keeps the audit trail."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class AccessTokenEventInline(admin.TabularInline):
    model = AccessTokenEvent
    fields = ["occurred_at", "action", "actor", "ip_address"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AccessToken)
class AccessTokenAdmin(ReadOnlyAdmin):
    # `digest` is deliberately absent from every list here.
    list_display = [
        "name",
        "masked",
        "scopes",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
        "last_used_ip",
        "status",
    ]
    list_filter = ["created_at", "expires_at", "revoked_at"]
    search_fields = ["name", "description", "prefix"]
    fields = [
        "name",
        "description",
        "scopes",
        "masked",
        "status",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
        "last_used_at",
        "last_used_ip",
    ]
    readonly_fields = fields
    inlines = [AccessTokenEventInline]
    list_select_related = ["created_by", "revoked_by"]

    def get_queryset(self, request: HttpRequest):
        return access_token_list().select_related("revoked_by")

    @admin.display(description="Token")
    def masked(self, token: AccessToken) -> str:
        return token.masked

    @admin.display(description="Status")
    def status(self, token: AccessToken) -> str:
        status, reason = token_status(token)
        return f"{status.capitalize()}: {reason}" if reason else status.capitalize()


@admin.register(AccessTokenEvent)
class AccessTokenEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "action", "token", "actor", "ip_address"]
    list_filter = ["action", "occurred_at"]
    list_select_related = ["token", "actor"]
    search_fields = ["token__name", "token__prefix", "actor__username"]
    fields = ["occurred_at", "action", "token", "actor", "ip_address"]
    readonly_fields = fields
