from django.apps import AppConfig


class PublicApiConfig(AppConfig):
    name = "public_api"
    verbose_name = "Public REST API"

    def ready(self) -> None:
        # Registers the OpenAPI description of access-token authentication.
        from public_api import schema  # noqa: F401
