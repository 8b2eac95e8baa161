from django.apps import AppConfig


class ScimApiConfig(AppConfig):
    name = "scim_api"
    verbose_name = "SCIM provisioning API"

    def ready(self) -> None:
        from custom_fields.services import custom_field_names_reserve
        from scim_api.catalogue import register_user_attributes
        from scim_api.extensions import RESERVED_NAMES, custom_field_attributes, role_attributes

        register_user_attributes(custom_field_attributes)
        register_user_attributes(role_attributes)
        custom_field_names_reserve(
            RESERVED_NAMES, meaning="the start and end dates provisioning sends"
        )
