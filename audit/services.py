"""Recording the change history: one helper for every audited record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from audit.actor import Actor
from audit.models import ChangeRecord
from audit.signals import change_recorded

R = TypeVar("R", bound=ChangeRecord)


def change_record(
    record_model: type[R], *, subject: Any, actor: Actor, action: str, changes: dict
) -> R:
    """Save one history entry for `subject`, leave it on the subject and announce it.

    Call inside the write's transaction: the entry commits or rolls back with the change.
    """
    record = record_model(
        action=action,
        channel=actor.channel,
        actor_user=actor.user,
        actor_token=actor.token,
        changes=changes,
        **{record_model.subject_field: subject},
    )
    record.save(force_insert=True)
    subject.recorded_change = record
    change_recorded.send(sender=record_model, records=[record])
    return record


def change_record_many(
    record_model: type[R],
    *,
    subject_ids: Iterable[int],
    actor: Actor,
    action: str,
    changes: dict,
) -> list[R]:
    """Save the same change for many records in one INSERT (a bulk update) and announce it."""
    records = record_model.objects.bulk_create(
        record_model(
            action=action,
            channel=actor.channel,
            actor_user=actor.user,
            actor_token=actor.token,
            changes=changes,
            **{f"{record_model.subject_field}_id": subject_id},
        )
        for subject_id in subject_ids
    )
    if records:
        change_recorded.send(sender=record_model, records=records)
    return records


def change_record_each(
    record_model: type[R], *, entries: Iterable[tuple[Any, str, dict]], actor: Actor
) -> list[R]:
    """Save one history entry per (subject, action, changes) in one INSERT and announce them.

    For writes of many records at once, each with its own changes (an import); each subject
    gets its entry as `recorded_change`, as change_record() leaves it.
    """
    entries = list(entries)
    records = record_model.objects.bulk_create(
        record_model(
            action=action,
            channel=actor.channel,
            actor_user=actor.user,
            actor_token=actor.token,
            changes=changes,
            **{record_model.subject_field: subject},
        )
        for subject, action, changes in entries
    )
    for (subject, _action, _changes), record in zip(entries, records, strict=True):
        subject.recorded_change = record
    if records:
        change_recorded.send(sender=record_model, records=records)
    return records
