"""Writes to the provisioning log: recording events and pruning old ones."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from alexis.http import client_ip
from alexis.redaction import redact_query, redact_text
from audit.actor import Actor
from audit.models import ChangeAction, Channel
from audit.services import change_record
from provisioning.models import (
    Operation,
    ProvisioningEvent,
    ProvisioningSettings,
    ProvisioningSettingsChange,
)
from provisioning.selectors import provisioning_settings_default

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

PRUNE_BATCH = 5000


def provisioning_event_prune(
    *, older_than_days: int | None = None, batch_size: int = PRUNE_BATCH
) -> int:
    """Delete events older than the retention in small batches; return how many went.

    Each batch is its own short statement, so the table is never locked for long.
    """
    days = settings.PROVISIONING_LOG_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted = 0
    while True:
        ids = list(
            ProvisioningEvent.objects.filter(occurred_at__lt=cutoff)
            .order_by("id")
            .values_list("id", flat=True)[:batch_size]
        )
        if not ids:
            return deleted
        deleted += ProvisioningEvent.objects.filter(id__in=ids).delete()[0]


# Outcome operations (scim_api.outcome.Operation) that only read.
_READS = {"list", "search", "read", "discovery", "groups"}
_WRITES = {"create": Operation.CREATED, "delete": Operation.DELETED}
QUERY_MAX = 1000
DETAIL_MAX = 1000


def _operation(outcome: Any, status: int) -> str:
    if status >= 400:
        return Operation.REFUSED
    if outcome.operation in _WRITES:
        return _WRITES[outcome.operation]
    if outcome.operation in ("patch", "replace"):
        active = outcome.changes.get("active")
        if active and active[1] is False:
            return Operation.DEACTIVATED
        if active and active[1] is True:
            return Operation.REACTIVATED
        return Operation.UPDATED
    return Operation.QUERIED


def _text(value: str | None, limit: int) -> str:
    # PostgreSQL text cannot hold NUL, and no UTF-8 column an unpaired surrogate; a request
    # path or detail may carry either (%00, "\ud800"). Credentials never reach the log.
    text = redact_text(value or "").replace("\x00", "\ufffd")
    return text.encode("utf-8", "replace").decode("utf-8")[:limit]


def _json_safe(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    if isinstance(value, dict):
        return {_json_safe(k): _json_safe(v) for k, v in value.items()}
    return value


def _safe_changes(changes: dict[str, Any]) -> dict[str, Any]:
    # Mapped attributes never include a password, but a future mapping must not leak one.
    return _json_safe(
        {name: value for name, value in changes.items() if "password" not in name.lower()}
    )


def provisioning_event_record(
    *, outcome: Any, request: HttpRequest, status: int, duration_ms: int
) -> ProvisioningEvent | None:
    """Insert the event for one finished SCIM request (one INSERT); None when logging is off."""
    if not settings.PROVISIONING_LOG_ENABLED:
        return None
    token = outcome.token
    team = getattr(outcome, "team", None)
    employee = outcome.employee
    if team is not None:
        resource_type, user_name = "Group", getattr(team, "display_name", None) or str(team)
    elif employee is not None or outcome.operation in ("create", "patch", "replace", "delete"):
        resource_type, user_name = "User", employee.user_name if employee is not None else ""
    else:
        resource_type, user_name = "", ""
    failed = status >= 400
    event = ProvisioningEvent(
        occurred_at=timezone.now(),
        token=token,
        token_name=_text(token.name, 100) if token is not None else "",
        client_ip=client_ip(request),
        method=_text(request.method, 10),
        path=_text(request.path, 500),
        query=_text(redact_query(request.META.get("QUERY_STRING", "")), QUERY_MAX),
        resource_type=resource_type,
        resource_id=_text(outcome.resource_id, 64),
        employee=employee if employee is not None and employee.pk else None,
        team=team if team is not None and team.pk else None,
        user_name=_text(user_name, 255),
        operation=_operation(outcome, status),
        # A refused write changed nothing: it rolled back.
        changes={} if failed else _safe_changes(outcome.changes),
        not_kept=_json_safe([_text(name, 300) for name in getattr(outcome, "not_kept", [])]),
        status=status,
        scim_type=_text(outcome.scim_type, 40) if failed else "",
        detail=_text(outcome.detail, DETAIL_MAX) if failed else "",
        duration_ms=max(0, duration_ms),
    )
    # Inside a write's transaction the event commits (or rolls back) with the change; for a
    # read or a refusal it is one autocommitted INSERT.
    event.save(force_insert=True)
    return event


def provisioning_settings_update(
    *, phone_default_region: str, updated_by: User
) -> ProvisioningSettings:
    """Save the provisioning settings and record what changed in their history."""
    region = phone_default_region.strip().upper()
    with transaction.atomic():
        row = (
            ProvisioningSettings.objects.select_for_update()
            .filter(pk=ProvisioningSettings.SINGLETON_ID)
            .first()
        )
        before = (row or provisioning_settings_default()).phone_default_region
        row = row or ProvisioningSettings(pk=ProvisioningSettings.SINGLETON_ID)
        row.phone_default_region = region
        row.full_clean()
        row.save()
        if before != region:
            change_record(
                ProvisioningSettingsChange,
                subject=row,
                actor=Actor(channel=Channel.WEB, user=updated_by),
                action=ChangeAction.UPDATED,
                changes={"phone_default_region": [before, region]},
            )
    logger.info("provisioning settings updated by user=%s", updated_by.pk)
    return row
