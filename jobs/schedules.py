from datetime import time

from jobs.schedule import daily, hourly
from jobs.tasks import prune_finished_tasks, requeue_abandoned_tasks

hourly(
    "jobs.requeue_abandoned_tasks",
    requeue_abandoned_tasks,
    minute=5,
    description="Put tasks left running by a stopped worker back in the queue",
)
daily(
    "jobs.prune_finished_tasks",
    prune_finished_tasks,
    at=time(3, 30),
    description="Delete finished background tasks past their retention period",
)
