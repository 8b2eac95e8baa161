"""Writes to access tokens: create (showing the secret once), revoke, and usage stamps."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from access_tokens.crypto import LOOKUP_LENGTH, TOKEN_PREFIX, generate_token, token_digest
from access_tokens.models import AccessToken, AccessTokenEvent, Scope
from access_tokens.selectors import active_name_taken
from accounts.roles import OWNER, is_owner
from notifications.services import notify

logger = logging.getLogger(__name__)

# How often last_used_at may be written for one token, so that use costs no write per request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
# Longer lifetimes are "never expires" in all but name (and overflow dates far enough out).
MAX_EXPIRY_DAYS = 3650


@dataclass(frozen=True)
class CreatedToken:
    """A freshly created token and its plaintext, which exists only in this object."""

    token: AccessToken
    # Kept out of repr() so that the secret cannot reach a log line or an error report.
    plaintext: str = field(repr=False)


@transaction.atomic
def access_token_create(
    *,
    name: str,
    scopes: list[str],
    created_by: AbstractBaseUser,
    description: str = "",
    expires_in_days: int | None = 365,
    ip_address: str | None = None,
) -> CreatedToken:
    """Create a token for an owner; the plaintext is returned once and never stored."""
    errors: dict[str, str] = {}
    # Serialise creations so that two owners saving the same name at once cannot both pass
    # the uniqueness check (names are unique among active tokens, which no index can say).
    Group.objects.select_for_update().filter(name=OWNER).first()
    name = name.strip()
    if not name:
        errors["name"] = "Enter a name."
    elif active_name_taken(name):
        errors["name"] = "An active token with this name already exists."
    valid_scopes = {choice.value for choice in Scope}
    if not scopes:
        errors["scopes"] = "Choose at least one scope."
    elif set(scopes) - valid_scopes:
        errors["scopes"] = "Unknown scope."
    if expires_in_days is not None and not 0 < expires_in_days <= MAX_EXPIRY_DAYS:
        errors["expires_in_days"] = (
            f"The expiry must be between 1 and {MAX_EXPIRY_DAYS} days, or never."
        )
    if not is_owner(created_by):
        errors["created_by"] = "Only owners can create access tokens."
    if errors:
        raise ValidationError(errors)

    plaintext = generate_token()
    expires_at = (
        timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days is not None else None
    )
    token = AccessToken(
        name=name,
        description=description.strip(),
        scopes=sorted(set(scopes)),
        prefix=plaintext[: len(TOKEN_PREFIX) + LOOKUP_LENGTH],
        digest=token_digest(plaintext),
        last_four=plaintext[-4:],
        created_by=created_by,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    AccessTokenEvent.objects.create(
        token=token, action=AccessTokenEvent.Action.CREATED, actor=created_by, ip_address=ip_address
    )
    logger.info("access token %s created by user %s", token.pk, created_by.pk)
    notify(kind="access_tokens.created", params={"token_id": token.pk}, key=f"token-{token.pk}")
    return CreatedToken(token=token, plaintext=plaintext)


@transaction.atomic
def access_token_revoke(
    *, token: AccessToken, revoked_by: AbstractBaseUser, ip_address: str | None = None
) -> AccessToken:
    """Revoke a token for good; the next request that uses it is refused."""
    locked = AccessToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.revoked_by = revoked_by
    locked.save(update_fields=["revoked_at", "revoked_by"])
    AccessTokenEvent.objects.create(
        token=locked,
        action=AccessTokenEvent.Action.REVOKED,
        actor=revoked_by,
        ip_address=ip_address,
    )
    logger.info("access token %s revoked by user %s", locked.pk, revoked_by.pk)
    return locked


def access_token_mark_used(*, token: AccessToken, ip_address: str | None) -> None:
    """Stamp last use at most once a minute per token (one conditional UPDATE, or none)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    AccessToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now, last_used_ip=ip_address)
    token.last_used_at = now
    token.last_used_ip = ip_address
