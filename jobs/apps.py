from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.apps import TasksAppConfig


class JobsConfig(AppConfig):
    default = True
    name = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Each app declares its scheduled jobs in schedules.py (see jobs.schedule).
        autodiscover_modules("schedules")


class TaskQueueConfig(TasksAppConfig):
    """django-tasks-db's app (the database task queue), named for the people who read the admin."""

    default = False
    verbose_name = "Background tasks"
