from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = "Single sign-on"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from employees import services as employee_services
        from sso import receivers, services

        # Deprovisioning (SCIM, the web app or the admin) ends access through these hooks;
        # employees knows nothing of single sign-on.
        if services.linked_user_access_revoke not in employee_services.on_access_revoked:
            employee_services.on_access_revoked.append(services.linked_user_access_revoke)
        if services.linked_user_access_restore not in employee_services.on_access_restored:
            employee_services.on_access_restored.append(services.linked_user_access_restore)
        # Every sign-in (password or SSO) is remembered so that revoking access can end it.
        user_logged_in.connect(receivers.session_remember, dispatch_uid="sso.session_remember")
        user_logged_out.connect(receivers.session_forget, dispatch_uid="sso.session_forget")
