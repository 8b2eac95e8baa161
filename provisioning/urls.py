from django.urls import path

from provisioning import views

app_name = "provisioning"

urlpatterns = [
    path("", views.event_log, name="log"),
    path("<int:pk>/", views.event_detail, name="event"),
]
