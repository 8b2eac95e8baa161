"""Reads for single sign-on."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from employees.models import Employee
from sso.exceptions import SignInRefused
from sso.models import RefusalReason, SignInRefusal, SsoConfiguration

# Enough to tell one match from several; a sign-in never needs more rows than this.
MAX_MATCHES = 5

# Warn owners this long before the identity provider's certificate expires.
CERTIFICATE_WARNING = dt.timedelta(days=30)


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
    current = Employee.objects.filter(deleted_at__isnull=True).select_related("user")
    # Matching on Lower(user_name) among current employees uses the case-insensitive unique
    # index, so the usual sign-in (NameID = user name) costs one indexed query.
    tiers = (
        current.alias(key=Lower("user_name")).filter(key__in=identifiers),
        current.alias(key=Lower("work_email")).filter(key__in=identifiers),
    )
    for tier in tiers:
        matches = list(tier.order_by("-active", "pk")[:MAX_MATCHES])
        if not matches:
            continue
        active = [employee for employee in matches if employee.active]
        if len(active) == 1:
            return active[0]
        if len(active) > 1:
            raise SignInRefused(RefusalReason.AMBIGUOUS_EMPLOYEE)
        raise SignInRefused(RefusalReason.INACTIVE_EMPLOYEE, matches[0])
    deleted = (
        Employee.objects.filter(deleted_at__isnull=False)
        .alias(user_name_lower=Lower("user_name"), work_email_lower=Lower("work_email"))
        .filter(Q(user_name_lower__in=identifiers) | Q(work_email_lower__in=identifiers))
        .order_by("-deleted_at")
        .first()
    )
    if deleted is not None:
        raise SignInRefused(RefusalReason.DELETED_EMPLOYEE, deleted)
    raise SignInRefused(RefusalReason.UNKNOWN_EMPLOYEE)


def sign_in_refusal_list(*, limit: int = 20) -> QuerySet[SignInRefusal]:
    """Return the most recent refused single sign-on attempts."""
    return SignInRefusal.objects.select_related("employee")[:limit]


def certificate_summary(pem: str) -> dict | None:
    """Return the subject and expiry of a stored PEM certificate, for display."""
    if not pem:
        return None
    try:
        certificate = x509.load_pem_x509_certificate(pem.encode("ascii"))
    except ValueError:
        return None
    expires = certificate.not_valid_after_utc
    return {
        "subject": certificate.subject.rfc4514_string(),
        "expires": expires,
        "expired": expires <= timezone.now(),
        "expires_soon": expires <= timezone.now() + CERTIFICATE_WARNING,
    }
