from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from accounts.services import hr_admin_from_entra_roles
        from audit.signals import change_recorded

        change_recorded.connect(hr_admin_from_entra_roles, dispatch_uid="accounts-entra-roles")
