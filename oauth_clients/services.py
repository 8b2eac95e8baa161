"""Writes to OAuth clients: create, add and revoke credentials, issue access tokens."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from access_tokens.crypto import LOOKUP_LENGTH, TOKEN_PREFIX, generate_token, token_digest
from access_tokens.models import AccessToken, Scope
from accounts.roles import OWNER, is_owner
from oauth_clients.crypto import generate_client_id, generate_client_secret, secret_prefix_length
from oauth_clients.models import ClientCredential, OAuthClient, OAuthClientEvent, UsedAssertion

logger = logging.getLogger(__name__)

# Client secrets expire after one, two or three years, chosen when they are made.
SECRET_EXPIRY_DAYS = (365, 730, 1095)
# Two secrets at once are enough to rotate: add the new one, switch, revoke the old one.
MAX_ACTIVE_SECRETS = 2
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
Action = OAuthClientEvent.Action


@dataclass(frozen=True)
class CreatedSecret:
    """A fresh client secret and its plaintext, which exists only in this object."""

    credential: ClientCredential
    plaintext: str = field(repr=False)

    @property
    def client(self) -> OAuthClient:
        return self.credential.client


@dataclass(frozen=True)
class IssuedToken:
    """An access token issued by the token endpoint; the plaintext exists only here."""

    token: AccessToken
    plaintext: str = field(repr=False)
    expires_in: int


def _record(client, action, actor, ip_address, credential=None) -> None:
    OAuthClientEvent.objects.create(
        client=client, credential=credential, action=action, actor=actor, ip_address=ip_address
    )


def _check_scopes(scopes: list[str], errors: dict[str, str]) -> None:
    if not scopes:
        errors["scopes"] = "Choose at least one scope."
    elif set(scopes) - set(Scope.values):
        errors["scopes"] = "Unknown scope."


def _check_secret_expiry(days: int, errors: dict[str, str]) -> None:
    if days not in SECRET_EXPIRY_DAYS:
        errors["expires_in_days"] = "A client secret expires after 1, 2 or 3 years."


def _new_secret(*, client: OAuthClient, expires_in_days: int, created_by) -> CreatedSecret:
    plaintext = generate_client_secret()
    credential = ClientCredential(
        client=client,
        kind=ClientCredential.Kind.SECRET,
        prefix=plaintext[: secret_prefix_length()],
        digest=token_digest(plaintext),
        last_four=plaintext[-4:],
        created_by=created_by,
        expires_at=timezone.now() + dt.timedelta(days=expires_in_days),
    )
    credential.full_clean()
    credential.save()
    return CreatedSecret(credential=credential, plaintext=plaintext)


@transaction.atomic
def oauth_client_create(
    *,
    name: str,
    scopes: list[str],
    created_by: AbstractBaseUser,
    description: str = "",
    secret_expires_in_days: int = 730,
    ip_address: str | None = None,
) -> CreatedSecret:
    """Create a client with its first secret; the secret is returned once and never stored."""
    errors: dict[str, str] = {}
    # Serialise creations so that two owners saving one name at once cannot both pass.
    Group.objects.select_for_update().filter(name=OWNER).first()
    name = name.strip()
    if not name:
        errors["name"] = "Enter a name."
    elif OAuthClient.objects.filter(name__iexact=name, revoked_at__isnull=True).exists():
        errors["name"] = "An active OAuth client with this name already exists."
    _check_scopes(scopes, errors)
    _check_secret_expiry(secret_expires_in_days, errors)
    if not is_owner(created_by):
        errors["created_by"] = "Only owners can create OAuth clients."
    if errors:
        raise ValidationError(errors)
    client = OAuthClient(
        name=name,
        description=description.strip(),
        client_id=generate_client_id(),
        scopes=sorted(set(scopes)),
        created_by=created_by,
    )
    client.full_clean()
    client.save()
    created = _new_secret(
        client=client, expires_in_days=secret_expires_in_days, created_by=created_by
    )
    _record(client, Action.CREATED, created_by, ip_address)
    _record(client, Action.SECRET_ADDED, created_by, ip_address, created.credential)
    logger.info("OAuth client %s created by user %s", client.pk, created_by.pk)
    return created


def _locked_active_client(client: OAuthClient) -> OAuthClient:
    locked = OAuthClient.objects.select_for_update().get(pk=client.pk)
    if locked.revoked_at is not None:
        raise ValidationError("This OAuth client is revoked.")
    return locked


@transaction.atomic
def oauth_secret_add(
    *,
    client: OAuthClient,
    created_by: AbstractBaseUser,
    expires_in_days: int = 730,
    ip_address: str | None = None,
) -> CreatedSecret:
    """Add a secret to a client (at most two are active at once, for rotation)."""
    locked = _locked_active_client(client)
    errors: dict[str, str] = {}
    _check_secret_expiry(expires_in_days, errors)
    active = locked.credentials.filter(
        kind=ClientCredential.Kind.SECRET, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()
    if active >= MAX_ACTIVE_SECRETS:
        errors["expires_in_days"] = (
            f"This client already has {MAX_ACTIVE_SECRETS} active secrets: revoke one first."
        )
    if not is_owner(created_by):
        errors["created_by"] = "Only owners can add client secrets."
    if errors:
        raise ValidationError(errors)
    created = _new_secret(client=locked, expires_in_days=expires_in_days, created_by=created_by)
    _record(locked, Action.SECRET_ADDED, created_by, ip_address, created.credential)
    logger.info("OAuth client %s: secret %s added", locked.pk, created.credential.pk)
    return created


@transaction.atomic
def oauth_federated_credential_add(
    *,
    client: OAuthClient,
    created_by: AbstractBaseUser,
    name: str,
    issuer: str,
    subject: str,
    audience: str,
    jwks_url: str = "",
    jwks: dict | None = None,
    ip_address: str | None = None,
) -> ClientCredential:
    """Trust an external issuer's signed tokens for this subject and audience (RFC 7523)."""
    locked = _locked_active_client(client)
    if not is_owner(created_by):
        raise ValidationError({"created_by": "Only owners can add federated credentials."})
    credential = ClientCredential(
        client=locked,
        kind=ClientCredential.Kind.FEDERATED,
        name=name.strip(),
        issuer=issuer.strip(),
        subject=subject.strip(),
        audience=audience.strip(),
        jwks_url=jwks_url.strip(),
        jwks=jwks,
        created_by=created_by,
    )
    errors = {
        attr: "This field is required."
        for attr in ("name", "issuer", "subject", "audience")
        if not getattr(credential, attr)
    }
    if (
        not errors
        and ClientCredential.objects.filter(
            kind=ClientCredential.Kind.FEDERATED,
            issuer=credential.issuer,
            subject=credential.subject,
            audience=credential.audience,
            revoked_at__isnull=True,
            client__revoked_at__isnull=True,
        ).exists()
    ):
        # An assertion must prove exactly one client.
        errors["subject"] = "A client already trusts this issuer, subject and audience."
    if errors:
        raise ValidationError(errors)
    credential.full_clean()
    credential.save()
    _record(locked, Action.FEDERATION_ADDED, created_by, ip_address, credential)
    logger.info("OAuth client %s: federated credential %s added", locked.pk, credential.pk)
    return credential


def _revoke_issued_tokens(tokens, *, now, revoked_by) -> int:
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=now, revoked_by=revoked_by)


@transaction.atomic
def oauth_credential_revoke(
    *, credential: ClientCredential, revoked_by: AbstractBaseUser, ip_address: str | None = None
) -> ClientCredential:
    """Revoke one secret or federated credential, and every token issued through it, at once."""
    OAuthClient.objects.select_for_update().filter(pk=credential.client_id).first()
    locked = ClientCredential.objects.select_for_update().get(pk=credential.pk)
    if locked.revoked_at is not None:
        return locked
    now = timezone.now()
    locked.revoked_at, locked.revoked_by = now, revoked_by
    locked.save(update_fields=["revoked_at", "revoked_by"])
    _revoke_issued_tokens(
        AccessToken.objects.filter(oauth_credential=locked), now=now, revoked_by=revoked_by
    )
    action = Action.SECRET_REVOKED if locked.is_secret else Action.FEDERATION_REVOKED
    _record(locked.client, action, revoked_by, ip_address, locked)
    logger.info("OAuth credential %s revoked by user %s", locked.pk, revoked_by.pk)
    return locked


@transaction.atomic
def oauth_client_revoke(
    *, client: OAuthClient, revoked_by: AbstractBaseUser, ip_address: str | None = None
) -> OAuthClient:
    """Revoke a client for good: its credentials and every token issued to it stop at once."""
    locked = OAuthClient.objects.select_for_update().get(pk=client.pk)
    if locked.revoked_at is not None:
        return locked
    now = timezone.now()
    locked.revoked_at, locked.revoked_by = now, revoked_by
    locked.save(update_fields=["revoked_at", "revoked_by"])
    locked.credentials.filter(revoked_at__isnull=True).update(revoked_at=now, revoked_by=revoked_by)
    _revoke_issued_tokens(
        AccessToken.objects.filter(oauth_credential__client=locked), now=now, revoked_by=revoked_by
    )
    _record(locked, Action.REVOKED, revoked_by, ip_address)
    logger.info("OAuth client %s revoked by user %s", locked.pk, revoked_by.pk)
    return locked


@transaction.atomic
def oauth_token_issue(
    *, credential: ClientCredential, scopes: list[str], ip_address: str | None = None
) -> IssuedToken:
    """Issue a short-lived access token to a client; only its digest is stored."""
    client = credential.client
    lifetime = dt.timedelta(minutes=settings.OAUTH_ACCESS_TOKEN_LIFETIME_MINUTES)
    now = timezone.now()
    plaintext = generate_token()
    token = AccessToken.objects.create(
        name=client.name,
        description=f"Issued to OAuth client {client.client_id}",
        scopes=sorted(set(scopes)),
        prefix=plaintext[: len(TOKEN_PREFIX) + LOOKUP_LENGTH],
        digest=token_digest(plaintext),
        last_four=plaintext[-4:],
        created_by_id=client.created_by_id,
        expires_at=now + lifetime,
        oauth_credential=credential,
    )
    # A credential's last use is stamped at most once a minute (one conditional UPDATE).
    if credential.last_used_at is None or now - credential.last_used_at >= LAST_USED_RESOLUTION:
        ClientCredential.objects.filter(pk=credential.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now, last_used_ip=ip_address)
    return IssuedToken(token=token, plaintext=plaintext, expires_in=int(lifetime.total_seconds()))


def oauth_assertion_use(*, credential: ClientCredential, jti: str, expires_at: dt.datetime) -> bool:
    """Record an assertion's jti; return False if it was already used (a replay)."""
    try:
        with transaction.atomic():
            UsedAssertion.objects.create(
                credential=credential, jti=jti[:255], expires_at=expires_at
            )
    except IntegrityError:
        return False
    return True


def oauth_records_prune(*, issued_tokens_older_than_days: int | None = None) -> tuple[int, int]:
    """Delete expired jti records, and issued tokens expired longer ago than the log keeps.

    Return (tokens, assertions) deleted. Issued tokens are kept as long as the
    provisioning log that names them.
    """
    now = timezone.now()
    days = (
        settings.PROVISIONING_LOG_RETENTION_DAYS
        if issued_tokens_older_than_days is None
        else issued_tokens_older_than_days
    )
    assertions = UsedAssertion.objects.filter(expires_at__lt=now).delete()[0]
    tokens = AccessToken.objects.filter(
        oauth_credential__isnull=False, expires_at__lt=now - dt.timedelta(days=days)
    ).delete()[0]
    return tokens, assertions
