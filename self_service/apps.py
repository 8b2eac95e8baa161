from django.apps import AppConfig


class SelfServiceConfig(AppConfig):
    name = "self_service"
    verbose_name = "Self-service"

    def ready(self) -> None:
        from audit.signals import change_recorded
        from self_service import receivers

        change_recorded.connect(
            receivers.employee_change_recorded, dispatch_uid="self_service.employee_changes"
        )
