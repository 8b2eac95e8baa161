"""Reads of notifications and notification preferences."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from notifications.kinds import Delivery, NotificationKind, kinds_for
from notifications.models import Notification, NotificationPreference


def delivery_for(*, user: AbstractBaseUser, kind: NotificationKind) -> Delivery:
    """Return how `user` wants `kind` delivered (the kind's default until they choose)."""
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind.key)
        .values_list("delivery", flat=True)
        .first()
    )
    return Delivery(chosen) if chosen else kind.default


def preferences_for(*, user: AbstractBaseUser) -> list[tuple[NotificationKind, Delivery]]:
    """Return each kind `user` may receive with their delivery choice, in one query."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return [
        (kind, Delivery(chosen[kind.key]) if kind.key in chosen else kind.default)
        for kind in kinds_for(user)
    ]


def notification_list(*, user: AbstractBaseUser) -> QuerySet[Notification]:
    """Return the person's notifications, newest first."""
    return Notification.objects.filter(recipient=user)


def unread_count(*, user: AbstractBaseUser) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
