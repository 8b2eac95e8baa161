"""One row per run of a scheduled job: its unique key is what lets a job run only once."""

from django.db import models


class ScheduledRun(models.Model):
    job_name = models.CharField("job", max_length=100)
    due_at = models.DateTimeField("due at")
    enqueued_at = models.DateTimeField("queued at", auto_now_add=True)

    class Meta:
        verbose_name = "scheduled run"
        ordering = ["-due_at"]
        constraints = [
            # Every scheduler inserts the run it wants to enqueue; the database lets one win.
            models.UniqueConstraint(fields=["job_name", "due_at"], name="scheduled_run_once"),
        ]

    def __str__(self) -> str:
        return f"{self.job_name} due {self.due_at:%Y-%m-%d %H:%M}"
