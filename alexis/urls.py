"""Top-level URLconf: wiring only."""

from django.contrib import admin
from django.urls import include, path

from oauth_clients.endpoint import token as oauth2_token

admin.site.site_header = "Alexis administration"
admin.site.site_title = "Alexis admin"
admin.site.index_title = "Records"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("sso.urls")),
    path("api/v1/time-off/", include("time_off.api_urls")),
    path("api/v1/", include("checklists.api_urls")),
    path("api/v1/", include("public_api.urls")),
    path("scim/v2/", include("scim_api.urls")),
    path("provisioning/matching/", include("entra_matching.urls")),
    path("provisioning/", include("provisioning.urls")),
    path("employees/", include("photos.urls")),
    path("", include("employees.urls")),
    path("", include("self_service.urls")),
    path("teams/", include("teams.urls")),
    path("organisation/", include("organisation.urls")),
    path("employees/import/", include("imports.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("search/", include("search.urls")),
    path("settings/access-tokens/", include("access_tokens.urls")),
    path("settings/custom-fields/", include("custom_fields.urls")),
    path("settings/roles-from-entra/", include("accounts.settings_urls")),
    path("settings/provisioning/", include("provisioning.settings_urls")),
    path("settings/oauth-clients/", include("oauth_clients.urls")),
    path("oauth2/token", oauth2_token, name="oauth2-token"),
    path("notifications/", include("notifications.urls")),
    path("settings/webhooks/", include("webhooks.urls")),
    path("time-off/", include("time_off.urls")),
    path("checklists/", include("checklists.urls")),
]

handler500 = "alexis.errors.server_error"
