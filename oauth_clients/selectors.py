"""Reads of OAuth clients and their credentials, including client authentication."""

from __future__ import annotations

import datetime as dt
import hmac

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from access_tokens.crypto import token_digest
from access_tokens.models import Scope
from access_tokens.selectors import creator_status, with_creator_state
from oauth_clients.crypto import secret_prefix
from oauth_clients.models import ClientCredential, OAuthClient, OAuthClientEvent

# Owners are warned about client secrets that expire within this many days.
EXPIRY_WARNING_DAYS = 30


def oauth_client_list() -> QuerySet[OAuthClient]:
    """Return every client, newest first, with its credentials and its creator's state."""
    return with_creator_state(OAuthClient.objects.all()).prefetch_related(
        Prefetch("credentials", queryset=ClientCredential.objects.select_related("created_by"))
    )


def oauth_client_get(*, pk: int) -> OAuthClient | None:
    """Return one client with what its page shows, or None."""
    return oauth_client_list().filter(pk=pk).first()


def oauth_client_event_list(*, client: OAuthClient | None = None) -> QuerySet[OAuthClientEvent]:
    """Return the audit trail (of one client, or all), newest first."""
    events = OAuthClientEvent.objects.select_related("client", "credential", "actor")
    return events.filter(client=client) if client is not None else events


def client_status(client: OAuthClient) -> tuple[str, str]:
    """Return (status, reason) for display: active, revoked or inactive (its creator)."""
    if client.revoked_at is not None:
        return "revoked", ""
    return creator_status(client)


def credential_status(credential: ClientCredential) -> str:
    """Return a credential's status: active, expiring (within 30 days), expired or revoked."""
    if credential.revoked_at is not None:
        return "revoked"
    if credential.expires_at is None:
        return "active"
    now = timezone.now()
    if credential.expires_at <= now:
        return "expired"
    if credential.expires_at <= now + dt.timedelta(days=EXPIRY_WARNING_DAYS):
        return "expiring"
    return "active"


def _usable(credential: ClientCredential | None) -> ClientCredential | None:
    if credential is None or credential.revoked_at is not None:
        return None
    if credential.expires_at is not None and credential.expires_at <= timezone.now():
        return None
    if client_status(credential.client)[0] != "active":
        return None
    return credential


def client_secret_authenticate(*, client_id: str, secret: str) -> ClientCredential | None:
    """Return the usable client secret matching this client id and secret, or None.

    Malformed secrets are refused before the database. Unknown, revoked and expired
    secrets, revoked clients and clients whose creator may no longer hold credentials are
    all refused alike.
    """
    prefix = secret_prefix(secret)
    if prefix is None:
        return None
    credential = (
        ClientCredential.objects.select_related("client__created_by__employee")
        .filter(prefix=prefix, kind=ClientCredential.Kind.SECRET)
        .first()
    )
    if credential is None:
        return None
    if not hmac.compare_digest(credential.client.client_id, client_id):
        return None
    if not hmac.compare_digest(credential.digest, token_digest(secret)):
        return None
    return _usable(credential)


def federated_credentials_for(
    *, issuer: str, subject: str, client_id: str | None = None
) -> list[ClientCredential]:
    """Return the usable federated credentials that accept this issuer and subject."""
    candidates = ClientCredential.objects.select_related("client__created_by__employee").filter(
        kind=ClientCredential.Kind.FEDERATED, issuer=issuer, subject=subject
    )
    if client_id is not None:
        candidates = candidates.filter(client__client_id=client_id)
    return [credential for credential in candidates if _usable(credential) is not None]


def provisioning_client_list() -> list[OAuthClient]:
    """Return the active clients that carry the Provisioning (SCIM) scope, newest first."""
    return [
        client
        for client in OAuthClient.objects.filter(revoked_at__isnull=True)
        if Scope.SCIM in client.scopes
    ]


def secrets_expiring(*, within_days: int = EXPIRY_WARNING_DAYS) -> QuerySet[ClientCredential]:
    """Return the client secrets of active clients that expire within the coming days."""
    now = timezone.now()
    return (
        ClientCredential.objects.select_related("client")
        .filter(
            kind=ClientCredential.Kind.SECRET,
            revoked_at__isnull=True,
            client__revoked_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + dt.timedelta(days=within_days),
        )
        .order_by("expires_at", "id")
    )
