"""Turn recorded changes into webhook events, inside the writing transaction."""

from __future__ import annotations

import uuid
from typing import Any

from jobs.queue import enqueue_on_commit
from webhooks.events import SOURCES, event_name
from webhooks.selectors import webhook_subscribed_event_types
from webhooks.tasks import webhook_dispatch


def new_event_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def change_recorded_emit(sender: Any, records: list, **kwargs: Any) -> None:
    """Queue a dispatch task for the entries some enabled endpoint subscribes to.

    The request pays for one small query and, when someone listens, one task row that
    commits (or rolls back) with the change; the worker builds and sends the deliveries.
    """
    label = sender._meta.label
    if label not in SOURCES:
        return
    subscribed = webhook_subscribed_event_types()
    if not subscribed:
        return
    events = [
        [record.pk, new_event_id()]
        for record in records
        if event_name(label, record.action) in subscribed
    ]
    if events:
        enqueue_on_commit(webhook_dispatch, label, events)
