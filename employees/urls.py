from django.urls import path

from employees import views

app_name = "employees"

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.my_profile, name="me"),
    path("me/more-details/", views.my_custom_fields, name="me-custom-fields"),
    path("people/<uuid:public_id>/", views.colleague, name="colleague"),
    path("employees/", views.directory, name="directory"),
    path("employees/export.csv", views.directory_export, name="directory-export"),
    path("employees/new/", views.employee_new, name="new"),
    path("employees/suggestions/", views.employee_suggestions, name="suggestions"),
    path("employees/<uuid:public_id>/", views.profile, name="profile"),
    path("employees/<uuid:public_id>/edit/", views.employee_edit, name="edit"),
    path(
        "employees/<uuid:public_id>/deactivate/",
        views.employee_deactivate_view,
        name="deactivate",
    ),
    path(
        "employees/<uuid:public_id>/reactivate/",
        views.employee_reactivate_view,
        name="reactivate",
    ),
    path("org-chart/", views.org_chart, name="org-chart"),
    path(
        "org-chart/<uuid:public_id>/children/", views.org_chart_children, name="org-chart-children"
    ),
]
