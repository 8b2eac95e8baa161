from django.apps import AppConfig


class TimeOffConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "time_off"
    verbose_name = "Time off"

    def ready(self) -> None:
        from audit.signals import change_recorded
        from time_off import events, receivers

        events.register()
        change_recorded.connect(
            receivers.employee_change_recorded, dispatch_uid="time_off.employee_changes"
        )
