"""Single sign-on services: certificates, metadata, replay records and user linking."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from sso.exceptions import SignInRefused
from sso.models import RefusalReason, SignInRefusal, UsedAssertion
from sso.saml import SamlIdentity
from sso.services import (
    certificate_validate,
    federation_metadata_parse,
    sso_sign_in,
    used_assertion_prune,
    used_assertion_record,
)
from tests.factories import EmployeeFactory, UserFactory
from tests.sso.idp import TestIdentityProvider, make_certificate

pytestmark = pytest.mark.django_db


def identity(name_id, email="", assertion_id="_a1"):
    return SamlIdentity(
        name_id=name_id,
        email=email,
        assertion_id=assertion_id,
        expires_at=timezone.now() + dt.timedelta(minutes=10),
    )


def test_certificate_validate_returns_pem_subject_and_expiry():
    _, pem = make_certificate(common_name="Entra signing")

    validated = certificate_validate(certificate=pem.replace("\n", "\r\n") + "\n\n")

    assert validated.pem == pem
    assert validated.subject == "CN=Entra signing"
    assert validated.not_valid_after > timezone.now()


def test_certificate_validate_requires_a_value():
    with pytest.raises(ValidationError) as excinfo:
        certificate_validate(certificate="   ")

    assert excinfo.value.messages == ["Paste the certificate or upload the certificate file."]


def test_certificate_validate_refuses_binary_that_is_not_a_certificate():
    with pytest.raises(ValidationError) as excinfo:
        certificate_validate(certificate=b"\xff\xfe\x00garbage")

    assert excinfo.value.code == "invalid"


def test_metadata_with_a_rollover_takes_the_first_valid_certificate():
    now = timezone.now()
    _, expired = make_certificate(
        not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=1)
    )
    idp = TestIdentityProvider()
    xml = idp.federation_metadata(login_url="https://login.example/saml2").decode()
    expired_b64 = "".join(line for line in expired.splitlines() if "-----" not in line)
    # An extra, expired signing key listed first, as during a certificate rollover.
    xml = xml.replace(
        '<KeyDescriptor use="signing">',
        f'<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#">'
        f"<X509Data><X509Certificate>{expired_b64}</X509Certificate></X509Data></KeyInfo>"
        f'</KeyDescriptor><KeyDescriptor use="signing">',
    )

    values = federation_metadata_parse(xml=xml.encode())

    assert values.idp_certificate == idp.certificate_pem


def test_metadata_with_only_an_expired_certificate_says_so():
    now = timezone.now()
    key, expired = make_certificate(
        not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=1)
    )
    idp = TestIdentityProvider(key_pem=key, certificate_pem=expired)

    with pytest.raises(ValidationError) as excinfo:
        federation_metadata_parse(xml=idp.federation_metadata(login_url="https://l.example/"))

    assert excinfo.value.code == "expired"


def test_used_assertion_is_refused_the_second_time():
    expires_at = timezone.now() + dt.timedelta(minutes=5)
    used_assertion_record(assertion_id="_x", expires_at=expires_at)

    with pytest.raises(SignInRefused) as excinfo:
        used_assertion_record(assertion_id="_x", expires_at=expires_at)

    assert excinfo.value.reason == RefusalReason.REPLAYED


def test_expired_records_are_pruned_when_a_new_assertion_is_recorded():
    now = timezone.now()
    UsedAssertion.objects.create(assertion_id="_old", expires_at=now - dt.timedelta(seconds=1))
    UsedAssertion.objects.create(assertion_id="_live", expires_at=now + dt.timedelta(minutes=5))

    used_assertion_record(assertion_id="_new", expires_at=now + dt.timedelta(minutes=5))

    assert set(UsedAssertion.objects.values_list("assertion_id", flat=True)) == {"_live", "_new"}


def test_prune_command_deletes_expired_assertions_and_old_refusals(settings):
    settings.SSO_REFUSAL_RETENTION_DAYS = 30
    now = timezone.now()
    UsedAssertion.objects.create(assertion_id="_old", expires_at=now - dt.timedelta(minutes=1))
    UsedAssertion.objects.create(assertion_id="_live", expires_at=now + dt.timedelta(minutes=5))
    old, recent = SignInRefusal.objects.bulk_create(
        [
            SignInRefusal(reason=RefusalReason.UNKNOWN_EMPLOYEE, name_id="old@contoso.com"),
            SignInRefusal(reason=RefusalReason.UNKNOWN_EMPLOYEE, name_id="new@contoso.com"),
        ]
    )
    SignInRefusal.objects.filter(pk=old.pk).update(refused_at=now - dt.timedelta(days=31))
    SignInRefusal.objects.filter(pk=recent.pk).update(refused_at=now - dt.timedelta(days=29))
    out = StringIO()

    call_command("prune_sso_records", stdout=out)

    assert out.getvalue() == "Deleted 1 expired assertion records and 1 refusals.\n"
    assert list(UsedAssertion.objects.values_list("assertion_id", flat=True)) == ["_live"]
    assert list(SignInRefusal.objects.values_list("name_id", flat=True)) == ["new@contoso.com"]
    assert used_assertion_prune() == 0


def test_prune_command_takes_days(settings):
    SignInRefusal.objects.create(reason=RefusalReason.UNKNOWN_EMPLOYEE)
    SignInRefusal.objects.update(refused_at=timezone.now() - dt.timedelta(days=2))
    out = StringIO()

    call_command("prune_sso_records", "--days", "1", stdout=out)

    assert out.getvalue() == "Deleted 0 expired assertion records and 1 refusals.\n"
    assert not SignInRefusal.objects.exists()


def test_prune_command_refuses_negative_days():
    with pytest.raises(CommandError, match=r"--days must be zero or more\."):
        call_command("prune_sso_records", "--days", "-1")


def test_an_unlinked_account_with_the_user_name_is_not_taken_over():
    user = UserFactory(username="Alice@contoso.com")
    employee = EmployeeFactory(user_name="alice@contoso.com")

    with pytest.raises(SignInRefused) as excinfo:
        sso_sign_in(identity=identity("alice@contoso.com"))

    employee.refresh_from_db()
    assert excinfo.value.reason == RefusalReason.ACCOUNT_NOT_LINKED
    assert employee.user is None
    assert list(get_user_model().objects.all()) == [user]


def test_refused_sign_in_still_uses_up_the_assertion():
    with pytest.raises(SignInRefused):
        sso_sign_in(identity=identity("nobody@contoso.com", assertion_id="_once"))

    assert UsedAssertion.objects.filter(assertion_id="_once").exists()


def test_no_identifier_is_an_unknown_employee():
    EmployeeFactory(user_name="alice@contoso.com")

    with pytest.raises(SignInRefused) as excinfo:
        sso_sign_in(identity=identity(""))

    assert excinfo.value.reason == RefusalReason.UNKNOWN_EMPLOYEE
