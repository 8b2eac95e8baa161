from django.urls import path

from teams import views

app_name = "teams"

urlpatterns = [
    path("", views.team_list, name="list"),
    path("<uuid:public_id>/", views.team_detail, name="detail"),
]
