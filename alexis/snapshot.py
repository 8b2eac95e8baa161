"""Settings and definitions read on every SCIM request or employee write, kept in the process
for a moment.

A `Snapshot` holds the result of one read (the custom field definitions, the role mapping,
the provisioning settings, the kinds of checklist templates in use) for SECONDS, so that a
request costs no query for what owners and HR change a few times a year. A save or delete of
the models it names, in this process, forgets it at once (and again when the transaction
commits); other processes see the change within SECONDS. Only configuration goes here, never
employees or tokens.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

SECONDS = 2.0
_all: list[Snapshot[Any]] = []


class Snapshot(Generic[T]):
    """The result of `read()`, read again once it is SECONDS old or a watched model changed."""

    def __init__(self, read: Callable[[], T], *, watch: tuple[type, ...]) -> None:
        self.read = read
        self._held: tuple[float, Any] = (float("-inf"), None)
        for model in watch:
            for signal in (post_save, post_delete):
                signal.connect(self._changed, sender=model, weak=False)
        _all.append(self)

    def get(self) -> T:
        read_at, value = self._held
        now = time.monotonic()
        if now - read_at < SECONDS:
            return value
        value = self.read()
        self._held = (now, value)
        return value

    def forget(self) -> None:
        self._held = (float("-inf"), None)

    def know(self, value: T) -> None:
        """Take `value` as read until a watched model changes (for tests on an empty database)."""
        self._held = (float("inf"), value)

    def _changed(self, **kwargs: Any) -> None:
        self.forget()
        transaction.on_commit(self.forget)


def snapshots_forget() -> None:
    """Forget every snapshot (tests: each starts with its own database contents)."""
    for snapshot in _all:
        snapshot.forget()
