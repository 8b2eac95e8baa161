"""Background tasks of the provisioning log."""

from django_tasks import task

from provisioning.services import provisioning_event_prune


@task()
def prune_provisioning_log() -> int:
    """Delete provisioning events past PROVISIONING_LOG_RETENTION_DAYS; return how many went."""
    return provisioning_event_prune()
