from django.apps import AppConfig
from django_tasks_db.apps import TasksAppConfig


class JobsConfig(AppConfig):
    default = True
    name = "jobs"
    verbose_name = "Background jobs"


class TaskQueueConfig(TasksAppConfig):
    """django-tasks-db's app (the database task queue), named for the people who read the admin."""

    default = False
    verbose_name = "Background tasks"
