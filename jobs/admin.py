"""The task list in the Django admin: what ran, what failed and why, and "Run again"."""

from django.contrib import admin, messages
from django_tasks import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from jobs.queue import ATTEMPT_KWARG

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ("task_name", "status", "enqueued_at", "started_at", "finished_at", "attempts")
    list_filter = ("status", "queue_name")
    search_fields = ("task_path",)
    actions = ["run_again"]

    @admin.display(description="Workers that tried it")
    def attempts(self, obj: DBTaskResult) -> int:
        return len(obj.worker_ids)

    def has_run_again_permission(self, request) -> bool:
        return request.user.has_perm("django_tasks_database.change_dbtaskresult")

    @admin.action(description="Run the selected failed tasks again", permissions=["run_again"])
    def run_again(self, request, queryset):
        count = 0
        for result in queryset.filter(status=TaskResultStatus.FAILED):
            # A fresh start: the task gets its retries again.
            kwargs = {k: v for k, v in result.args_kwargs["kwargs"].items() if k != ATTEMPT_KWARG}
            result.task.enqueue(*result.args_kwargs["args"], **kwargs)
            count += 1
        self.message_user(request, f"{count} task(s) queued to run again.", messages.SUCCESS)
