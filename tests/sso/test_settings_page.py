"""Settings > Single sign-on: owners only; shows the SP values and takes Entra's."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from lxml import etree

from sso.models import RefusalReason, SignInRefusal, SsoConfiguration
from sso.selectors import sso_configuration_get
from tests.sso.conftest import IDP_LOGIN_URL
from tests.sso.idp import certificate_base64, make_certificate

pytestmark = pytest.mark.django_db

URL = "/settings/single-sign-on/"


def form_data(idp, **overrides):
    data = {
        "enabled": "on",
        "idp_entity_id": idp.entity_id,
        "idp_login_url": IDP_LOGIN_URL,
        "idp_certificate": idp.certificate_pem,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/accounts/sign-in/?next={URL}"


def test_hr_admins_are_refused(hr_admin_client):
    assert hr_admin_client.get(URL).status_code == HTTPStatus.FORBIDDEN
    assert hr_admin_client.post(URL, {}).status_code == HTTPStatus.FORBIDDEN


def test_employees_are_refused(employee_client):
    assert employee_client.get(URL).status_code == HTTPStatus.FORBIDDEN


def test_owner_sees_the_values_to_paste_into_entra(owner_client):
    response = owner_client.get(URL)

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'id="sp-entity-id" value="http://testserver/sso/metadata/"' in page
    assert 'id="sp-acs-url" value="http://testserver/sso/acs/"' in page
    assert 'id="sp-sign-on-url" value="http://testserver/sso/login/"' in page
    assert 'href="/sso/metadata/?download=1"' in page


def test_settings_menu_links_the_page_for_owners_only(owner_client, client, hr_admin):
    assert f'href="{URL}"' in owner_client.get("/").content.decode()
    client.force_login(hr_admin)
    assert f'href="{URL}"' not in client.get("/").content.decode()


def test_sp_metadata_describes_the_entity_and_acs(client):
    response = client.get("/sso/metadata/?download=1")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/samlmetadata+xml"
    assert response["Content-Disposition"] == 'attachment; filename="alexis-sp-metadata.xml"'
    root = etree.fromstring(response.content)
    md = "urn:oasis:names:tc:SAML:2.0:metadata"
    assert root.get("entityID") == "http://testserver/sso/metadata/"
    acs = root.find(f".//{{{md}}}AssertionConsumerService")
    assert acs.get("Location") == "http://testserver/sso/acs/"
    assert acs.get("Binding") == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"


def test_owner_saves_pasted_values(owner_client, owner, idp):
    response = owner_client.post(URL, form_data(idp, require_sso="on"), follow=True)

    assert response.redirect_chain == [(URL, HTTPStatus.FOUND)]
    assert "Single sign-on settings saved." in response.content.decode()
    configuration = SsoConfiguration.objects.get()
    assert (
        configuration.enabled,
        configuration.require_sso,
        configuration.idp_entity_id,
        configuration.idp_login_url,
        configuration.idp_certificate,
        configuration.updated_by,
    ) == (True, True, idp.entity_id, IDP_LOGIN_URL, idp.certificate_pem, owner)


def test_certificate_may_be_pasted_as_bare_base64(owner_client, idp):
    owner_client.post(URL, form_data(idp, idp_certificate=certificate_base64(idp.certificate_pem)))

    assert SsoConfiguration.objects.get().idp_certificate == idp.certificate_pem


@pytest.mark.parametrize("encoding", ["pem", "der"])
def test_certificate_may_be_uploaded(owner_client, idp, encoding):
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    certificate = x509.load_pem_x509_certificate(idp.certificate_pem.encode())
    content = certificate.public_bytes(Encoding.PEM if encoding == "pem" else Encoding.DER)
    upload = SimpleUploadedFile("Alexis.cer", content)

    owner_client.post(URL, {**form_data(idp, idp_certificate=""), "certificate_file": upload})

    assert SsoConfiguration.objects.get().idp_certificate == idp.certificate_pem


def test_federation_metadata_upload_fills_the_form(owner_client, idp):
    login_url = "https://login.microsoftonline.com/00000000-0000-0000-0000-00000000a1e5/saml2"
    upload = SimpleUploadedFile(
        "Alexis.xml", idp.federation_metadata(login_url=login_url), "text/xml"
    )

    response = owner_client.post(URL, {"enabled": "on", "metadata_file": upload}, follow=True)

    page = response.content.decode()
    assert "filled in from the Federation Metadata XML" in page
    configuration = SsoConfiguration.objects.get()
    assert (
        configuration.enabled,
        configuration.idp_entity_id,
        configuration.idp_login_url,
        configuration.idp_certificate,
    ) == (True, idp.entity_id, login_url, idp.certificate_pem)
    assert f'value="{idp.entity_id}"' in page
    assert f'value="{login_url}"' in page
    assert certificate_base64(idp.certificate_pem)[:60] in page


def test_metadata_fills_the_form_even_when_something_else_is_wrong(owner_client, idp):
    upload = SimpleUploadedFile(
        "Alexis.xml", idp.federation_metadata(login_url=IDP_LOGIN_URL), "text/xml"
    )

    response = owner_client.post(URL, {"require_sso": "on", "metadata_file": upload})

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Turn on single sign-on before requiring it." in page
    assert f'value="{idp.entity_id}"' in page
    assert not SsoConfiguration.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"<html>not metadata</html>",
        b"not xml at all",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&e;"/>',
    ],
    ids=["html", "text", "external-entity"],
)
def test_bad_metadata_file_is_refused_beside_the_field(owner_client, idp, content):
    upload = SimpleUploadedFile("Alexis.xml", content, "text/xml")

    response = owner_client.post(URL, {"enabled": "on", "metadata_file": upload})

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "This is not Federation Metadata XML." in page
    assert not SsoConfiguration.objects.exists()


def assert_field_error(response, message):
    assert response.status_code == HTTPStatus.OK
    assert f'<p class="field-error">{message}' in response.content.decode()


@pytest.mark.parametrize(
    ("certificate", "message"),
    [
        ("hello", "This is not a certificate."),
        (
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
            "This is not a certificate.",
        ),
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "This is a private key."),
    ],
    ids=["text", "bad-pem", "private-key"],
)
def test_bad_certificate_is_refused_beside_the_field(owner_client, idp, certificate, message):
    response = owner_client.post(URL, form_data(idp, idp_certificate=certificate))

    assert_field_error(response, message)
    assert not SsoConfiguration.objects.exists()


def test_expired_certificate_is_refused_with_its_date(owner_client, idp):
    now = timezone.now()
    _, expired = make_certificate(
        not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=3)
    )

    response = owner_client.post(URL, form_data(idp, idp_certificate=expired))

    expiry = f"{now - dt.timedelta(days=3):%Y-%m-%d}"
    assert_field_error(response, f"This certificate expired on {expiry}.")
    assert not SsoConfiguration.objects.exists()


def test_certificate_not_yet_valid_is_refused(owner_client, idp):
    now = timezone.now()
    _, future = make_certificate(
        not_before=now + dt.timedelta(days=2), not_after=now + dt.timedelta(days=400)
    )

    response = owner_client.post(URL, form_data(idp, idp_certificate=future))

    assert_field_error(response, "This certificate is not valid until")


def test_expired_certificate_file_is_refused_beside_the_upload(owner_client, idp):
    now = timezone.now()
    _, expired = make_certificate(
        not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=1)
    )
    upload = SimpleUploadedFile("Alexis.cer", expired.encode())

    response = owner_client.post(URL, {**form_data(idp), "certificate_file": upload})

    assert_field_error(response, "This certificate expired on")


def test_turning_sso_on_needs_all_three_values(owner_client, idp):
    response = owner_client.post(
        URL, {"enabled": "on", "idp_entity_id": "", "idp_login_url": "", "idp_certificate": ""}
    )

    assert response.content.decode().count("Required to turn on single sign-on.") == 3
    assert not SsoConfiguration.objects.exists()


def test_login_url_must_be_a_url(owner_client, idp):
    response = owner_client.post(URL, form_data(idp, idp_login_url="login.microsoftonline"))

    assert_field_error(response, "Enter a valid URL.")


def test_values_may_be_saved_with_sso_off(owner_client, idp):
    owner_client.post(URL, form_data(idp, enabled=None))

    configuration = sso_configuration_get()
    assert (configuration.enabled, configuration.idp_entity_id) == (False, idp.entity_id)


def test_turning_sso_off_keeps_the_values(owner_client, idp, sso_configuration):
    owner_client.post(URL, form_data(idp, enabled=None))

    configuration = SsoConfiguration.objects.get()
    assert (configuration.enabled, configuration.is_complete) == (False, True)


def test_page_shows_the_current_certificate_and_recent_refusals(owner_client, sso_configuration):
    SignInRefusal.objects.create(
        reason=RefusalReason.UNKNOWN_EMPLOYEE, name_id="zed@contoso.com", ip_address="10.1.2.3"
    )

    page = owner_client.get(URL).content.decode()

    assert "CN=Microsoft Azure Federated SSO Certificate" in page
    assert "No matching employee" in page
    assert "zed@contoso.com" in page


@pytest.mark.parametrize("refusals", [1, 60])
def test_page_queries_do_not_grow_with_refusals(
    owner_client, sso_configuration, django_assert_max_num_queries, refusals
):
    SignInRefusal.objects.bulk_create(
        SignInRefusal(reason=RefusalReason.UNKNOWN_EMPLOYEE, name_id=f"p{i}@contoso.com")
        for i in range(refusals)
    )

    with django_assert_max_num_queries(8):
        response = owner_client.get(URL)

    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    ("days_left", "text"),
    [
        (200, None),
        (10, "This certificate expires soon."),
        (-1, "This certificate has expired: sign-ins with Microsoft are refused."),
    ],
)
def test_page_warns_about_the_certificate_expiring(owner_client, days_left, text):
    now = timezone.now()
    _, pem = make_certificate(
        not_before=now - dt.timedelta(days=300), not_after=now + dt.timedelta(days=days_left)
    )
    # Stored directly: a saved certificate ages after it was validated.
    SsoConfiguration.objects.create(enabled=True, idp_certificate=pem)

    page = owner_client.get(URL).content.decode()

    for message in ("This certificate expires soon.", "This certificate has expired"):
        assert (message in page) == (text is not None and text.startswith(message))
