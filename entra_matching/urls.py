from django.urls import path

from entra_matching import views

app_name = "entra_matching"

urlpatterns = [
    path("", views.matching_start, name="start"),
    path("<uuid:public_id>/", views.matching_report_page, name="report"),
    path("<uuid:public_id>/fix/", views.matching_fix, name="fix"),
]
