from datetime import time

from jobs.schedule import daily
from oauth_clients.tasks import prune_oauth_records, warn_of_expiring_secrets

daily(
    "oauth_clients.warn_expiring",
    warn_of_expiring_secrets,
    at=time(8, 0),
    description="Tell owners about OAuth client secrets that expire within 30 days",
)
daily(
    "oauth_clients.prune",
    prune_oauth_records,
    at=time(3, 20),
    description="Delete used federated token ids and long-expired issued access tokens",
)
