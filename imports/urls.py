from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_start, name="start"),
    path("template.<str:fmt>", views.import_template, name="template"),
    path("<uuid:public_id>/", views.import_detail, name="detail"),
    path("<uuid:public_id>/apply/", views.import_apply, name="apply"),
    path("<uuid:public_id>/progress/", views.import_progress, name="progress"),
    path("<uuid:public_id>/errors.csv", views.import_errors, name="errors"),
]
