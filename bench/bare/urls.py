"""URLs of the bare comparison app: the SCIM and API paths the benchmark drives."""

from django.urls import path

from bench.bare import views

urlpatterns = [
    path("scim/v2/ServiceProviderConfig", views.service_provider_config),
    path("scim/v2/Users", views.users),
    path("scim/v2/Users/<uuid:public_id>", views.user),
    path("api/v1/employees/", views.EmployeeList.as_view()),
    path("api/v1/employees/<uuid:public_id>/", views.EmployeeDetail.as_view()),
]
