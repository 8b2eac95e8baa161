"""Reads for single sign-on."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Lower

from employees.models import Employee
from sso.exceptions import SignInRefused
from sso.models import RefusalReason, SignInRefusal, SsoConfiguration


def sso_configuration_get() -> SsoConfiguration:
    """Return the configuration, or an unsaved default (SSO off) when none was saved yet."""
    return SsoConfiguration.objects.filter(pk=SsoConfiguration.SINGLETON_ID).first() or (
        SsoConfiguration()
    )


def employee_for_sign_in(*, name_id: str, email: str) -> Employee:
    """Return the active employee an assertion names, matching case-insensitively.

    The NameID and the email claim are matched by user name first, then by work email.
    Raises SignInRefused naming why no one may sign in (unknown, inactive, deleted).
    """
    identifiers = {value.lower() for value in (name_id, email) if value}
    if not identifiers:
        raise SignInRefused(RefusalReason.UNKNOWN_EMPLOYEE)
    candidates = list(
        Employee.objects.alias(
            user_name_lower=Lower("user_name"), work_email_lower=Lower("work_email")
        )
        .filter(Q(user_name_lower__in=identifiers) | Q(work_email_lower__in=identifiers))
        .select_related("user")
        .order_by(F("deleted_at").asc(nulls_first=True), "-active", "pk")[:20]
    )
    current = [e for e in candidates if e.deleted_at is None]
    by_user_name = [e for e in current if e.user_name.lower() in identifiers]
    by_work_email = [e for e in current if e.work_email.lower() in identifiers]
    for tier in (by_user_name, by_work_email):
        if not tier:
            continue
        active = [e for e in tier if e.active]
        if len(active) == 1:
            return active[0]
        if len(active) > 1:
            raise SignInRefused(RefusalReason.AMBIGUOUS_EMPLOYEE)
        raise SignInRefused(RefusalReason.INACTIVE_EMPLOYEE, tier[0])
    deleted = [e for e in candidates if e.deleted_at is not None]
    if deleted:
        raise SignInRefused(RefusalReason.DELETED_EMPLOYEE, deleted[0])
    raise SignInRefused(RefusalReason.UNKNOWN_EMPLOYEE)


def sign_in_refusal_list(*, limit: int = 20) -> QuerySet[SignInRefusal]:
    """Return the most recent refused single sign-on attempts."""
    return SignInRefusal.objects.select_related("employee")[:limit]
