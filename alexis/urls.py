"""Top-level URLconf: wiring only."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("scim/v2/", include("scim_api.urls")),
    path("", include("employees.urls")),
]
