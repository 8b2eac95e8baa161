from django.apps import AppConfig


class CustomFieldsConfig(AppConfig):
    name = "custom_fields"
    verbose_name = "Custom fields"
