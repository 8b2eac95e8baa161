"""Reads of access tokens, including the one authentication query."""

from __future__ import annotations

import functools
import hmac

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from access_tokens.crypto import public_prefix, token_digest
from access_tokens.models import AccessToken, AccessTokenEvent
from accounts.roles import OWNER, is_owner
from employees.models import Employee


def with_creator_state(qs: QuerySet) -> QuerySet:
    """Annotate whether each row's creator is still an owner and still employed."""
    # Two EXISTS subqueries answer "is the creator still an owner and still employed?"
    # inside the same query, without fetching the creator's groups or employee record.
    owner_membership = Group.user_set.through.objects.filter(
        user_id=OuterRef("created_by_id"), group__name=OWNER
    )
    employment_ended = Employee.objects.filter(user_id=OuterRef("created_by_id")).filter(
        Q(active=False) | Q(deleted_at__isnull=False)
    )
    return qs.select_related("created_by").annotate(
        creator_is_owner=Exists(owner_membership),
        creator_employment_ended=Exists(employment_ended),
    )


def _employment_ended(holder) -> bool:
    ended = getattr(holder, "creator_employment_ended", None)
    if ended is None:
        # A row not read through these selectors carries no annotation; ask directly.
        linked = getattr(holder.created_by, "employee", None)
        ended = linked is not None and (not linked.active or linked.deleted_at is not None)
    return ended


def token_status(token: AccessToken) -> tuple[str, str]:
    """Return (status, reason) for display: active, expired, revoked or inactive."""
    if token.revoked_at is not None:
        return "revoked", ""
    if token.expires_at is not None and token.expires_at <= timezone.now():
        return "expired", ""
    return creator_status(token)


def creator_status(holder) -> tuple[str, str]:
    """Return ("active", "") if the holder's creator may still hold credentials, else why not.

    The holder is a token or an OAuth client: anything with created_by, read through a
    selector that annotates creator_is_owner and creator_employment_ended, or not.
    """
    creator = holder.created_by
    if not creator.is_active:
        return "inactive", "Its creator's account is deactivated."
    if _employment_ended(holder):
        return "inactive", "Its creator is no longer an active employee."
    creator_is_owner = getattr(holder, "creator_is_owner", None)
    if creator_is_owner is None:
        # A token not read through these selectors carries no annotation; ask directly.
        creator_is_owner = is_owner(creator)
    if not (creator.is_superuser or creator_is_owner):
        return "inactive", "Its creator no longer holds the Owner role."
    return "active", ""


def access_token_list() -> QuerySet[AccessToken]:
    """Return every token, newest first, with what the list shows."""
    # Tokens issued to OAuth clients are shown with their client, not here.
    return with_creator_state(AccessToken.objects.filter(oauth_credential__isnull=True))


def access_token_get(*, pk: int) -> AccessToken | None:
    """Return one token with what the list shows, or None."""
    return access_token_list().filter(pk=pk).first()


def access_token_event_list() -> QuerySet[AccessTokenEvent]:
    """Return the audit trail, newest first, with its token and actor joined."""
    return AccessTokenEvent.objects.select_related("token", "actor")


@functools.cache
def _authentication_sql() -> str:
    """The query behind every SCIM and API request, written once as SQL.

    It asks what token_status() asks of a listed token: not revoked, not expired, and a
    creator who is active, an owner (or superuser) and not a former employee. Built through
    the ORM, compiling its two EXISTS subqueries cost twice as much as running it, on every
    request; as a fixed statement, PostgreSQL also prepares it once per connection.
    """
    user = get_user_model()
    q = connection.ops.quote_name
    # Only quoted table names are formatted in; every value is a query parameter.
    return f"""
        SELECT t.* FROM {q(AccessToken._meta.db_table)} t
        JOIN {q(user._meta.db_table)} u ON u.id = t.created_by_id
        WHERE t.prefix = %s
          AND t.revoked_at IS NULL
          AND (t.expires_at IS NULL OR t.expires_at > %s)
          AND u.is_active
          AND (u.is_superuser OR EXISTS (
              SELECT 1 FROM {q(user.groups.through._meta.db_table)} ug
              JOIN {q(Group._meta.db_table)} g ON g.id = ug.group_id
              WHERE ug.user_id = u.id AND g.name = %s))
          AND NOT EXISTS (
              SELECT 1 FROM {q(Employee._meta.db_table)} e
              WHERE e.user_id = u.id AND (NOT e.active OR e.deleted_at IS NOT NULL))
        LIMIT 1
    """  # noqa: S608


def access_token_authenticate(raw: str) -> AccessToken | None:
    """Return the active token matching this secret, or None, in at most one query.

    Malformed tokens and tokens with a wrong checksum are refused before the database.
    Unknown, revoked, expired and orphaned tokens are all refused alike.
    """
    prefix = public_prefix(raw)
    if prefix is None:
        return None
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    found = list(AccessToken.objects.raw(_authentication_sql(), [prefix, now, OWNER]))
    token = found[0] if found else None
    if token is None or not hmac.compare_digest(token.digest, token_digest(raw)):
        return None
    return token


def access_token_refused(raw: str) -> AccessToken | None:
    """Return the token a refused secret belongs to (revoked, expired or orphaned), or None.

    Only for the record of a refusal: the answer to the client stays the same 401 whatever
    the reason. The whole secret must match, so a guessed prefix names no token.
    """
    prefix = public_prefix(raw)
    token = AccessToken.objects.filter(prefix=prefix).first() if prefix else None
    if token is None or not hmac.compare_digest(token.digest, token_digest(raw)):
        return None
    return token


def active_name_taken(name: str) -> bool:
    """Return whether an active (not revoked, not expired) token already has this name."""
    return (
        AccessToken.objects.filter(
            name__iexact=name, revoked_at__isnull=True, oauth_credential__isnull=True
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .exists()
    )
