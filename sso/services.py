"""Writes for single sign-on: the configuration, sign-in through SAML, and ending access."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from lxml import etree
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

from accounts.roles import is_owner
from accounts.services import hr_admin_on_account_link
from employees.models import Employee
from sso.exceptions import SignInRefused
from sso.models import (
    RefusalReason,
    SignInRefusal,
    SsoConfiguration,
    SuspendedAccount,
    UsedAssertion,
    UserSession,
)
from sso.saml import SamlIdentity
from sso.selectors import employee_for_sign_in

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

PEM_HEADER = "-----BEGIN CERTIFICATE-----"
NOT_A_CERTIFICATE = (
    "This is not a certificate. In Entra, download “Certificate (Base64)” from the SAML "
    "Certificates section and paste its contents or upload the file."
)


@dataclass(frozen=True)
class ValidatedCertificate:
    """A parsed, currently valid X.509 certificate."""

    pem: str
    subject: str
    not_valid_after: dt.datetime


@dataclass(frozen=True)
class IdentityProviderValues:
    """What Federation Metadata XML says about the identity provider."""

    idp_entity_id: str
    idp_login_url: str
    idp_certificate: str


def _load_certificate(raw: str | bytes) -> x509.Certificate:
    if isinstance(raw, bytes):
        try:
            return x509.load_der_x509_certificate(raw)
        except ValueError:
            try:
                raw = raw.decode("ascii")
            except UnicodeDecodeError:
                raise ValidationError(NOT_A_CERTIFICATE, code="invalid") from None
    text = raw.strip()
    if "PRIVATE KEY" in text:
        raise ValidationError(
            "This is a private key. Paste the identity provider's certificate instead, "
            "and keep the key secret.",
            code="private_key",
        )
    if PEM_HEADER in text:
        try:
            return x509.load_pem_x509_certificate(text.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise ValidationError(NOT_A_CERTIFICATE, code="invalid") from None
    # Bare Base64, as in metadata's <X509Certificate> or a copied certificate body.
    try:
        der = base64.b64decode("".join(text.split()), validate=True)
        return x509.load_der_x509_certificate(der)
    except (ValueError, binascii.Error):
        raise ValidationError(NOT_A_CERTIFICATE, code="invalid") from None


def certificate_validate(*, certificate: str | bytes) -> ValidatedCertificate:
    """Parse a PEM, Base64 or DER certificate and check that it is valid now; return it as PEM."""
    if not certificate or (isinstance(certificate, str) and not certificate.strip()):
        raise ValidationError(
            "Paste the certificate or upload the certificate file.", code="required"
        )
    cert = _load_certificate(certificate)
    now = timezone.now()
    if cert.not_valid_after_utc <= now:
        raise ValidationError(
            "This certificate expired on %(date)s. In Entra, create a new SAML signing "
            "certificate, make it active, and use that one.",
            code="expired",
            params={"date": f"{cert.not_valid_after_utc:%Y-%m-%d}"},
        )
    if cert.not_valid_before_utc > now:
        raise ValidationError(
            "This certificate is not valid until %(date)s.",
            code="not_yet_valid",
            params={"date": f"{cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC"},
        )
    return ValidatedCertificate(
        pem=cert.public_bytes(Encoding.PEM).decode("ascii"),
        subject=cert.subject.rfc4514_string(),
        not_valid_after=cert.not_valid_after_utc,
    )


def federation_metadata_parse(*, xml: bytes) -> IdentityProviderValues:
    """Read the entity ID, login URL and signing certificate from Federation Metadata XML."""
    error = ValidationError(
        "This is not Federation Metadata XML. In Entra, download “Federation Metadata XML” "
        "from the SAML Certificates section and upload that file.",
        code="invalid",
    )
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml)
    except (etree.LxmlError, ValueError):
        # ValueError covers the parser's refusal of DTDs and entities (XXE).
        raise error from None
    idp = parsed.get("idp") or {}
    entity_id = idp.get("entityId", "")
    login_url = (idp.get("singleSignOnService") or {}).get("url", "")
    certificates = [idp["x509cert"]] if idp.get("x509cert") else []
    certificates += (idp.get("x509certMulti") or {}).get("signing", [])
    if not (entity_id and login_url and certificates):
        raise error
    # During a certificate rollover the metadata lists more than one; take the first valid.
    problems: list[ValidationError] = []
    for certificate in certificates:
        try:
            validated = certificate_validate(certificate=certificate)
        except ValidationError as exc:
            problems.append(exc)
            continue
        return IdentityProviderValues(
            idp_entity_id=entity_id, idp_login_url=login_url, idp_certificate=validated.pem
        )
    raise problems[0]


@transaction.atomic
def sso_configuration_update(
    *,
    enabled: bool,
    require_sso: bool,
    idp_entity_id: str,
    idp_login_url: str,
    idp_certificate: str,
    updated_by: User,
) -> SsoConfiguration:
    """Save the single sign-on configuration, validating the certificate and what SSO needs."""
    configuration, _ = SsoConfiguration.objects.select_for_update().get_or_create(
        pk=SsoConfiguration.SINGLETON_ID
    )
    errors: dict[str, list[str]] = {}
    idp_entity_id = idp_entity_id.strip()
    idp_login_url = idp_login_url.strip()
    certificate_pem = ""
    if idp_certificate.strip():
        try:
            certificate_pem = certificate_validate(certificate=idp_certificate).pem
        except ValidationError as exc:
            errors["idp_certificate"] = exc.messages
    if enabled:
        required = {
            "idp_entity_id": idp_entity_id,
            "idp_login_url": idp_login_url,
            "idp_certificate": idp_certificate.strip(),
        }
        for field, value in required.items():
            if not value:
                errors.setdefault(field, []).append("Required to turn on single sign-on.")
    if require_sso and not enabled:
        errors["require_sso"] = ["Turn on single sign-on before requiring it."]
    configuration.enabled = enabled
    configuration.require_sso = require_sso
    configuration.idp_entity_id = idp_entity_id
    configuration.idp_login_url = idp_login_url
    configuration.idp_certificate = certificate_pem
    configuration.updated_by = updated_by
    try:
        configuration.full_clean(exclude=["idp_certificate", *errors])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    configuration.save()
    logger.info(
        "sso configuration updated by user=%s enabled=%s require_sso=%s",
        updated_by.pk,
        enabled,
        require_sso,
    )
    return configuration


def used_assertion_prune(*, now: dt.datetime | None = None) -> int:
    """Delete used-assertion records that have expired (they can no longer be replayed)."""
    deleted, _ = UsedAssertion.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def used_assertion_record(*, assertion_id: str, expires_at: dt.datetime) -> UsedAssertion:
    """Record an assertion as used; raise SignInRefused(REPLAYED) if it was used before."""
    used_assertion_prune()
    try:
        with transaction.atomic():
            return UsedAssertion.objects.create(assertion_id=assertion_id, expires_at=expires_at)
    except IntegrityError:
        raise SignInRefused(RefusalReason.REPLAYED) from None


def sign_in_refusal_prune(*, older_than_days: int | None = None) -> int:
    """Delete refused sign-in records older than the retention (SSO_REFUSAL_RETENTION_DAYS)."""
    days = settings.SSO_REFUSAL_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = SignInRefusal.objects.filter(refused_at__lt=cutoff).delete()
    return deleted


def sign_in_refusal_record(
    *,
    reason: str,
    identity: SamlIdentity | None = None,
    employee: Employee | None = None,
    detail: str = "",
    ip_address: str | None = None,
) -> SignInRefusal:
    """Record and log a refused single sign-on attempt (never the assertion itself)."""
    refusal = SignInRefusal.objects.create(
        reason=reason,
        detail=detail[:500],
        name_id=identity.name_id[:255] if identity else "",
        email=identity.email[:255] if identity else "",
        employee=employee,
        ip_address=ip_address,
    )
    logger.warning(
        "sso sign-in refused: refusal=%s reason=%s employee=%s ip=%s detail=%s",
        refusal.pk,
        reason,
        employee.pk if employee else None,
        ip_address,
        detail[:200],
    )
    return refusal


def _account_create(employee: Employee) -> User:
    """Create the sign-in account of an employee's first sign-in, never reusing one.

    An account that already has the user name (a break-glass owner, one made with
    createsuperuser or by hand, or a former employee's) was not made for this person:
    taking it over would hand them its roles. An owner links it in the admin if it is theirs.
    """
    user_model = get_user_model()
    existing = user_model.objects.filter(username__iexact=employee.user_name).first()
    if existing is None:
        user = user_model(
            username=employee.user_name,
            first_name=employee.given_name[:150],
            last_name=employee.family_name[:150],
            email=employee.work_email,
        )
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
            return user
        except IntegrityError:
            # Someone made an account with this user name a moment ago.
            existing = user_model.objects.filter(username__iexact=employee.user_name).first()
    if existing is not None and Employee.objects.filter(user=existing).exists():
        raise SignInRefused(RefusalReason.ACCOUNT_CONFLICT, employee)
    raise SignInRefused(RefusalReason.ACCOUNT_NOT_LINKED, employee)


def _user_for_employee(employee: Employee) -> User:
    if employee.user_id is None:
        # Two first sign-ins at once (two tabs) must not both create an account: the second
        # waits for the first here and then finds the account it linked.
        locked = (
            Employee.objects.select_for_update(no_key=True).only("id", "user").get(pk=employee.pk)
        )
        employee.user_id = locked.user_id
    if employee.user_id is not None:
        user = employee.user
    else:
        user = _account_create(employee)
        Employee.objects.filter(pk=employee.pk).update(user=user)
        employee.user = user
        # Roles Entra assigned before the first sign-in take effect now.
        hr_admin_on_account_link(user=user, roles=employee.entra_roles)
    if not user.is_active:
        raise SignInRefused(RefusalReason.ACCOUNT_DISABLED, employee)
    if is_owner(user):
        # HR admins edit the user names and work emails that sign-in matches on; an owner
        # account reachable that way would let them become an owner.
        raise SignInRefused(RefusalReason.OWNER_ACCOUNT, employee)
    return user


def sso_sign_in(*, identity: SamlIdentity) -> User:
    """Accept a validated SAML identity once and return the user of the matching employee.

    The assertion is recorded as used first (in its own transaction), so that it stays
    used even when the sign-in is refused. Creates and links a user on first sign-in.
    Raises SignInRefused.
    """
    used_assertion_record(assertion_id=identity.assertion_id, expires_at=identity.expires_at)
    with transaction.atomic():
        employee = employee_for_sign_in(name_id=identity.name_id, email=identity.email)
        user = _user_for_employee(employee)
    logger.info("sso sign-in: employee=%s user=%s", employee.pk, user.pk)
    return user


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def user_session_record(*, user: User, session_key: str) -> None:
    """Remember a user's new session, forgetting their sessions old enough to have expired."""
    # A session saved again later lives on past this age; is_active=False still shuts it
    # out when access is revoked, so forgetting it here only costs the early cleanup.
    cutoff = timezone.now() - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    UserSession.objects.filter(user=user, created_at__lt=cutoff).delete()
    UserSession.objects.bulk_create(
        [UserSession(user=user, session_key=session_key)], ignore_conflicts=True
    )


def user_session_forget(*, session_key: str) -> None:
    """Forget a session that was signed out."""
    UserSession.objects.filter(session_key=session_key).delete()


def user_sessions_end(*, user_id: int) -> int:
    """End every session of a user; return how many were ended."""
    store = _session_store()
    keys = list(UserSession.objects.filter(user_id=user_id).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user_id=user_id).delete()
    return len(keys)


def linked_user_access_revoke(employee: Employee) -> None:
    """Disable the employee's linked user and end their sessions (employee deactivated/deleted).

    Remembers that it was this that disabled the account, so that reactivation undoes no more.
    """
    if employee.user_id is None:
        return
    disabled = (
        get_user_model().objects.filter(pk=employee.user_id, is_active=True).update(is_active=False)
    )
    if disabled:
        SuspendedAccount.objects.get_or_create(user_id=employee.user_id)
    ended = user_sessions_end(user_id=employee.user_id)
    logger.info(
        "access revoked: employee=%s user=%s disabled=%s sessions_ended=%s",
        employee.pk,
        employee.user_id,
        bool(disabled),
        ended,
    )


def linked_user_access_restore(employee: Employee) -> None:
    """Let a reactivated employee's linked user sign in again, if deactivation disabled it.

    An account that was disabled before (on purpose) stays disabled.
    """
    if employee.user_id is None:
        return
    suspended, _ = SuspendedAccount.objects.filter(user_id=employee.user_id).delete()
    if suspended:
        get_user_model().objects.filter(pk=employee.user_id).update(is_active=True)
    logger.info(
        "access restored: employee=%s user=%s enabled=%s",
        employee.pk,
        employee.user_id,
        bool(suspended),
    )
