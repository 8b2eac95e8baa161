"""Writes of notifications: sending one, recording it per person, emailing it, preferences."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from jobs.queue import enqueue_on_commit
from notifications.emails import build_email
from notifications.kinds import Delivery, get_kind, kinds_for
from notifications.models import Notification, NotificationPreference
from notifications.selectors import delivery_for


def notify(*, kind: str, params: dict[str, Any], key: str) -> None:
    """Tell the people concerned about an event, from a background task after commit.

    `params` (JSON) is what the kind needs to build its message; `key` names what the
    event is about, so that the same event (same kind and key) reaches each person once.
    """
    get_kind(kind)  # an unknown kind fails here, in the caller, not later in a worker
    from notifications.tasks import deliver_notification

    enqueue_on_commit(deliver_notification, kind, params, key)


def notification_record(*, kind: str, params: dict[str, Any], key: str) -> list[Notification]:
    """Record the notification for each recipient who has not turned the kind off.

    Return the notifications still to be emailed. Idempotent: a second call finds the
    notifications made by the first and records nothing new.
    """
    definition = get_kind(kind)
    context = definition.context(params)
    if context is None:
        return []
    title = definition.subject(context)[:200]
    body = render_to_string(definition.template, context).strip()
    url = definition.url(context)
    to_email = []
    with transaction.atomic():
        for recipient in definition.recipients(params):
            delivery = delivery_for(user=recipient, kind=definition)
            if delivery == Delivery.OFF:
                continue
            notification, _ = Notification.objects.get_or_create(
                recipient=recipient,
                kind=kind,
                key=key,
                defaults={"title": title, "body": body, "url": url},
            )
            if delivery == Delivery.EMAIL and recipient.email and notification.emailed_at is None:
                to_email.append(notification)
    return to_email


def notification_email_send(*, notification_id: int) -> bool:
    """Email one notification unless it has been already; return whether it was sent now.

    The row stays locked while the mail server answers, so two workers never send the
    same notification twice; if the server fails, nothing is marked and a retry sends it.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.recipient.email:
            return False
        build_email(notification).send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notification_preferences_set(
    *, user: AbstractBaseUser, choices: dict[str, str]
) -> list[NotificationPreference]:
    """Save how `user` wants each kind delivered; `choices` maps kind keys to deliveries."""
    allowed = {kind.key for kind in kinds_for(user)}
    errors = {
        key: "Choose email, in the app only, or off."
        for key, value in choices.items()
        if value not in Delivery.values
    }
    errors.update(
        {key: "This notification is not available to you." for key in choices.keys() - allowed}
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return [
            NotificationPreference.objects.update_or_create(
                user=user, kind=key, defaults={"delivery": value}
            )[0]
            for key, value in sorted(choices.items())
        ]


def notification_mark_read(*, user: AbstractBaseUser) -> int:
    """Mark all of the person's unread notifications read; return how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
