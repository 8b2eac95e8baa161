"""Background work on access tokens."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from access_tokens.models import AccessToken
from access_tokens.notifications import EXPIRY_WARNING_DAYS
from notifications.services import notify


@task()
def warn_of_expiring_tokens() -> int:
    """Tell owners about tokens that expire within the warning period; return how many."""
    now = timezone.now()
    expiring = AccessToken.objects.filter(
        # Tokens issued to OAuth clients live an hour by design: their secrets are announced.
        oauth_credential__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + dt.timedelta(days=EXPIRY_WARNING_DAYS),
    ).values_list("pk", "expires_at")
    for token_id, expires_at in expiring:
        # Keyed by token and expiry: each token is announced once, however often this runs.
        notify(
            kind="access_tokens.expiring",
            params={"token_id": token_id},
            key=f"token-{token_id}-expires-{expires_at:%Y%m%d}",
        )
    return len(expiring)
