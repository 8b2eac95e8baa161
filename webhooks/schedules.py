from datetime import time

from jobs.schedule import daily
from webhooks.tasks import webhook_log_prune

daily(
    "webhooks.prune_log",
    webhook_log_prune,
    at=time(3, 45),
    description="Delete webhook deliveries older than the delivery log's retention",
)
