"""Background work on OAuth clients."""

from django_tasks import task

from notifications.services import notify
from oauth_clients.selectors import secrets_expiring
from oauth_clients.services import oauth_records_prune


@task()
def warn_of_expiring_secrets() -> int:
    """Tell owners about client secrets that expire within 30 days; return how many."""
    expiring = list(secrets_expiring().values_list("pk", "expires_at"))
    for credential_id, expires_at in expiring:
        # Keyed by secret and expiry: each secret is announced once, however often this runs.
        notify(
            kind="oauth_clients.secret_expiring",
            params={"credential_id": credential_id},
            key=f"secret-{credential_id}-expires-{expires_at:%Y%m%d}",
        )
    return len(expiring)


@task()
def prune_oauth_records() -> dict[str, int]:
    """Delete expired assertion ids and issued tokens past the provisioning log's retention."""
    tokens, assertions = oauth_records_prune()
    return {"issued_tokens": tokens, "assertions": assertions}
