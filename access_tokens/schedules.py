from datetime import time

from access_tokens.tasks import warn_of_expiring_tokens
from jobs.schedule import daily

daily(
    "access_tokens.warn_expiring",
    warn_of_expiring_tokens,
    at=time(8, 0),
    description="Tell owners about access tokens that expire within 14 days",
)
