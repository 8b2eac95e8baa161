from django.urls import path

from accounts import views

app_name = "roles"

urlpatterns = [path("", views.entra_roles_settings, name="settings")]
