from django.apps import AppConfig


class ScimApiConfig(AppConfig):
    name = "scim_api"
    verbose_name = "SCIM provisioning API"

    def ready(self) -> None:
        from scim_api.catalogue import register_user_attributes
        from scim_api.extensions import custom_field_attributes, role_attributes

        register_user_attributes(custom_field_attributes)
        register_user_attributes(role_attributes)
