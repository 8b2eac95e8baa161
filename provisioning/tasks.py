"""Background tasks of the provisioning log."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from notifications.services import notify
from provisioning.selectors import failing_streak, has_synced, last_request
from provisioning.services import provisioning_event_prune

# Entra provisions about every 40 minutes: an hour of nothing but failures, or a day of
# silence after it had worked, means provisioning is broken.
FAILING_FOR = dt.timedelta(hours=1)
SILENT_FOR = dt.timedelta(days=1)


@task()
def prune_provisioning_log() -> int:
    """Delete provisioning events past PROVISIONING_LOG_RETENTION_DAYS; return how many went."""
    return provisioning_event_prune()


@task()
def check_provisioning_health() -> list[str]:
    """Tell owners when SCIM requests have failed for an hour, or stopped for a day."""
    now = timezone.now()
    told = []
    streak = failing_streak()
    if streak and streak.since <= now - FAILING_FOR and streak.latest > now - FAILING_FOR:
        notify(
            kind="provisioning.failing",
            params={
                "failing_since": streak.since.isoformat(),
                "failures": streak.failures,
                "last_error": streak.last_error,
            },
            key=f"failing-since-{streak.first_event_id}",
        )
        told.append("failing")
    last = last_request()
    if last and last[1] <= now - SILENT_FOR and has_synced():
        notify(
            kind="provisioning.silent",
            params={"last_request_at": last[1].isoformat()},
            key=f"silent-after-{last[0]}",
        )
        told.append("silent")
    return told
