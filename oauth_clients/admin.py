"""Read-only admin for OAuth clients and their credentials; never shows a digest or secret."""

from django.contrib import admin

from access_tokens.admin import ReadOnlyAdmin
from oauth_clients.models import ClientCredential, OAuthClient, OAuthClientEvent


@admin.register(OAuthClient)
class OAuthClientAdmin(ReadOnlyAdmin):
    list_display = ["name", "client_id", "scopes", "created_by", "created_at", "revoked_at"]
    list_filter = ["created_at", "revoked_at"]
    search_fields = ["name", "client_id"]
    list_select_related = ["created_by"]


@admin.register(ClientCredential)
class ClientCredentialAdmin(ReadOnlyAdmin):
    # `digest` is deliberately absent.
    list_display = ["client", "kind", "masked", "name", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["kind", "expires_at", "revoked_at"]
    fields = [
        "client",
        "kind",
        "masked",
        "name",
        "issuer",
        "subject",
        "audience",
        "jwks_url",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
        "last_used_at",
        "last_used_ip",
    ]
    readonly_fields = fields
    list_select_related = ["client"]

    @admin.display(description="Secret")
    def masked(self, credential: ClientCredential) -> str:
        return credential.masked


@admin.register(OAuthClientEvent)
class OAuthClientEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "action", "client", "actor", "ip_address"]
    list_filter = ["action", "occurred_at"]
    list_select_related = ["client", "actor"]
