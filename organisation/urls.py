from django.urls import path

from organisation import views

app_name = "organisation"

urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("departments/chart/", views.department_chart, name="department-chart"),
    path("<slug:kind>/", views.record_list, name="list"),
    path("<slug:kind>/new/", views.record_create, name="create"),
    path("<slug:kind>/<uuid:public_id>/", views.record_detail, name="detail"),
    path("<slug:kind>/<uuid:public_id>/merge/", views.record_merge, name="merge"),
    path("<slug:kind>/<uuid:public_id>/archive/", views.record_archive, name="archive"),
]
