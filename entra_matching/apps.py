from django.apps import AppConfig


class EntraMatchingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "entra_matching"
    verbose_name = "Entra matching preview"
