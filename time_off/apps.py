from django.apps import AppConfig


class TimeOffConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "time_off"
    verbose_name = "Time off"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from audit.signals import change_recorded
        from employees.signals import demo_seeded
        from time_off import events, receivers
        from time_off.models import TimeOffRequest

        events.register()
        change_recorded.connect(
            receivers.employee_change_recorded, dispatch_uid="time_off.employee_changes"
        )
        post_delete.connect(
            receivers.request_deleted,
            sender=TimeOffRequest,
            dispatch_uid="time_off.request_attachment_files",
        )
        demo_seeded.connect(receivers.demo_seeded, dispatch_uid="time_off.demo")
