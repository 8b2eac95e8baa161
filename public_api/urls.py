"""Public REST API, version 1.

New resources register on `router`; their views get access-token authentication, scopes,
throttling and the JSON error shape from the REST_FRAMEWORK defaults, and appear in the schema.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from public_api import guide, views

app_name = "public_api"

router = SimpleRouter()
router.register("employees", views.EmployeeViewSet, basename="employee")
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("teams", views.TeamViewSet, basename="team")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="public_api:schema", template_name="public_api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("guide/", guide.api_guide, name="guide"),
    path("", include(router.urls)),
    re_path(r"^.*$", views.not_found),
]
