from datetime import time

from jobs.schedule import daily
from sso.tasks import prune_sso_records

daily(
    "sso.prune_records",
    prune_sso_records,
    at=time(3, 15),
    description="Delete expired SAML assertion ids and old refused sign-ins",
)
