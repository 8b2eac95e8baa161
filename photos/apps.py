from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "photos"
    verbose_name = "Employee photos"

    def ready(self) -> None:
        from audit.signals import change_recorded
        from photos import receivers

        change_recorded.connect(
            receivers.employee_change_recorded, dispatch_uid="photos.employee_changes"
        )
