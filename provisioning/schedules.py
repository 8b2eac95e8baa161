from datetime import time

from jobs.schedule import daily
from provisioning.tasks import prune_provisioning_log

daily(
    "provisioning.prune_log",
    prune_provisioning_log,
    at=time(3, 0),
    description="Delete provisioning log events past the retention period",
)
