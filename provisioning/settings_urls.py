from django.urls import path

from provisioning import views

app_name = "provisioning_settings"

urlpatterns = [path("", views.settings_page, name="settings")]
