from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Each app declares its kinds of notification in notifications.py (see .kinds).
        autodiscover_modules("notifications")
