"""Kinds of notification: one definition each, declared by the app the news comes from.

An app declares its kinds in a `notifications.py` module (found at start-up, like
`admin.py`) by subclassing `NotificationKind` and registering an instance:

    @register
    class TokenCreated(NotificationKind):
        key = "access_tokens.created"
        label = "An access token is created"
        ...

and sends one with `notifications.services.notify(kind=..., params=..., key=...)`. The kind
decides who receives it, what it says (`template`, rendered with `context(params)`) and
which page it links to; each person decides how they get it (email, in-app only, off).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import models


class Delivery(models.TextChoices):
    EMAIL = "email", "Email and in the app"
    IN_APP = "in_app", "In the app only"
    OFF = "off", "Off"


class NotificationKind:
    """One kind of notification. Subclass, set the attributes, and `@register` it."""

    key: ClassVar[str]  # "<app>.<event>", stored with each notification and preference
    label: ClassVar[str]  # what people choose on their settings page
    description: ClassVar[str] = ""
    template: ClassVar[str]  # plain-text body; the email's HTML is built around it
    default: ClassVar[Delivery] = Delivery.EMAIL

    def is_for(self, user: AbstractBaseUser) -> bool:
        """Return whether `user` may receive this kind (and so see it on their settings page)."""
        raise NotImplementedError

    def recipients(self, params: dict[str, Any]) -> Iterable[AbstractBaseUser]:
        """Return the people to tell about this event."""
        raise NotImplementedError

    def context(self, params: dict[str, Any]) -> dict[str, Any] | None:
        """Return the template context, or None when the event no longer matters."""
        return dict(params)

    def subject(self, context: dict[str, Any]) -> str:
        """Return the one-line title (email subject and in-app heading)."""
        raise NotImplementedError

    def url(self, context: dict[str, Any]) -> str:
        """Return the path of the page the notification is about."""
        raise NotImplementedError


_kinds: dict[str, NotificationKind] = {}


def register(kind_class: type[NotificationKind]) -> type[NotificationKind]:
    """Class decorator: add a kind of notification; its key must be new."""
    key = kind_class.key
    existing = _kinds.get(key)
    if existing is not None and type(existing) is not kind_class:
        raise ValueError(f"A notification kind with key {key!r} is already registered.")
    _kinds[key] = kind_class()
    return kind_class


def get_kind(key: str) -> NotificationKind:
    return _kinds[key]


def all_kinds() -> list[NotificationKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.key)


def kinds_for(user: AbstractBaseUser) -> list[NotificationKind]:
    """Return the kinds `user` may receive, in a stable order."""
    return [kind for kind in all_kinds() if kind.is_for(user)]
