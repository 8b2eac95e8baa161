"""Scheduled work of checklists. Each task is idempotent: a second run changes nothing."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from checklists import selectors, services


@task()
def checklist_access_end() -> dict[str, int]:
    """End the access of leavers whose end date is over where they work; report to HR/IT
    those that Entra still shows active a day later."""
    now = timezone.now()
    ended = services.access_end_due(
        now=now, candidates=list(selectors.access_end_candidates(now=now))
    )
    told = services.access_end_report_still_active(
        rows=list(selectors.access_ends_still_active(now=now)[:500])
    )
    return {"ended": len(ended), "told": told}


@task()
def checklist_digest() -> int:
    """Queue each person's daily digest of tasks due tomorrow and overdue."""
    today = timezone.localdate()
    return services.checklist_digest_send(
        user_ids=selectors.digest_user_ids(today=today), today=today
    )
