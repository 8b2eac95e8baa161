from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from audit.signals import change_recorded
        from webhooks import events, receivers

        events.register_builtin()
        change_recorded.connect(receivers.change_recorded_emit, dispatch_uid="webhooks.emit")
