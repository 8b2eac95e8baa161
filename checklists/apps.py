from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "checklists"
    verbose_name = "Onboarding and offboarding"

    def ready(self) -> None:
        from audit.signals import change_recorded
        from checklists import receivers
        from checklists.api import register_webhook_events

        register_webhook_events()
        change_recorded.connect(
            receivers.employee_change_recorded, dispatch_uid="checklists.employee_changes"
        )
