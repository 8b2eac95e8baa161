from datetime import time

from jobs.schedule import daily, hourly
from provisioning.tasks import check_provisioning_health, prune_provisioning_log

daily(
    "provisioning.prune_log",
    prune_provisioning_log,
    at=time(3, 0),
    description="Delete provisioning log events past the retention period",
)
hourly(
    "provisioning.check_health",
    check_provisioning_health,
    minute=10,
    description="Tell owners when provisioning has failed for an hour or stopped for a day",
)
