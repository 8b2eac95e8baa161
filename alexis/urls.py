"""Top-level URLconf: wiring only."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("sso.urls")),
    path("api/v1/", include("public_api.urls")),
    path("scim/v2/", include("scim_api.urls")),
    path("provisioning/", include("provisioning.urls")),
    path("", include("employees.urls")),
    path("teams/", include("teams.urls")),
    path("settings/access-tokens/", include("access_tokens.urls")),
    path("settings/custom-fields/", include("custom_fields.urls")),
    path("settings/roles-from-entra/", include("accounts.settings_urls")),
    path("notifications/", include("notifications.urls")),
    path("settings/webhooks/", include("webhooks.urls")),
]

handler500 = "alexis.errors.server_error"
