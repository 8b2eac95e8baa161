from django.urls import path

from sso import views

app_name = "sso"

urlpatterns = [
    path("sso/login/", views.sign_in_start, name="login"),
    path("sso/acs/", views.assertion_consumer, name="acs"),
    path("sso/metadata/", views.service_provider_metadata, name="metadata"),
    path("settings/single-sign-on/", views.settings_page, name="settings"),
]
