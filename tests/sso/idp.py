"""A test SAML 2.0 identity provider: its own RSA key and self-signed certificate.

It builds SAML Responses shaped like Microsoft Entra ID's and signs them with xmlsec, so
that single sign-on runs end to end without the internet. `serve()` answers the
HTTP-Redirect AuthnRequest with an auto-posting form, as Entra's login page does.
"""

from __future__ import annotations

import base64
import datetime as dt
import threading
import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
EMAIL_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
ENTITY_ID = "https://sts.windows.net/00000000-0000-0000-0000-00000000a1e5/"


def _instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_certificate(
    *,
    common_name: str = "Microsoft Azure Federated SSO Certificate",
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> tuple[str, str]:
    """Return (private key PEM, self-signed certificate PEM) for a fresh RSA key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - dt.timedelta(days=1))
        .not_valid_after(not_after or now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM).decode()


def certificate_base64(certificate_pem: str) -> str:
    """Return the certificate body as one Base64 line, as in metadata's <X509Certificate>."""
    return "".join(line for line in certificate_pem.splitlines() if "-----" not in line)


def sign(element: etree._Element, *, key_pem: str, certificate_pem: str) -> None:
    """Sign an element (enveloped, exclusive C14N, RSA-SHA256) right after its Issuer."""
    xmlsec.tree.add_ids(element.getroottree().getroot(), ["ID"])
    signature = xmlsec.template.create(
        element, xmlsec.constants.TransformExclC14N, xmlsec.constants.TransformRsaSha256, ns="ds"
    )
    element.find(f"{{{SAML}}}Issuer").addnext(signature)
    reference = xmlsec.template.add_reference(
        signature, xmlsec.constants.TransformSha256, uri="#" + element.get("ID")
    )
    xmlsec.template.add_transform(reference, xmlsec.constants.TransformEnveloped)
    xmlsec.template.add_transform(reference, xmlsec.constants.TransformExclC14N)
    key_info = xmlsec.template.ensure_key_info(signature)
    xmlsec.template.x509_data_add_certificate(xmlsec.template.add_x509_data(key_info))
    key = xmlsec.Key.from_memory(key_pem.encode(), xmlsec.constants.KeyDataFormatPem)
    key.load_cert_from_memory(certificate_pem.encode(), xmlsec.constants.KeyDataFormatPem)
    context = xmlsec.SignatureContext()
    context.key = key
    context.sign(signature)


@dataclass
class TestIdentityProvider:
    """Signs SAML Responses for a service provider; the SP trusts `certificate_pem`."""

    __test__ = False  # not a test class, whatever pytest thinks of its name

    entity_id: str = ENTITY_ID
    key_pem: str = ""
    certificate_pem: str = ""

    def __post_init__(self) -> None:
        if not self.key_pem:
            self.key_pem, self.certificate_pem = make_certificate()

    def response_xml(
        self,
        *,
        name_id: str,
        acs_url: str,
        audience: str,
        email: str | None = None,
        in_response_to: str | None = None,
        sign_assertion: bool = True,
        sign_response: bool = False,
        issued_at: dt.datetime | None = None,
        lifetime: dt.timedelta = dt.timedelta(minutes=60),
        assertion_id: str | None = None,
        tamper_name_id: str | None = None,
    ) -> bytes:
        """Return a SAML Response (Entra's shape) asserting `name_id`, signed as asked."""
        now = issued_at or dt.datetime.now(dt.UTC)
        assertion_id = assertion_id or f"_{uuid.uuid4()}"
        response = etree.Element(
            f"{{{SAMLP}}}Response",
            nsmap={"samlp": SAMLP},
            ID=f"_{uuid.uuid4()}",
            Version="2.0",
            IssueInstant=_instant(now),
            Destination=acs_url,
        )
        if in_response_to:
            response.set("InResponseTo", in_response_to)
        etree.SubElement(response, f"{{{SAML}}}Issuer", nsmap={None: SAML}).text = self.entity_id
        status = etree.SubElement(response, f"{{{SAMLP}}}Status")
        etree.SubElement(
            status, f"{{{SAMLP}}}StatusCode", Value="urn:oasis:names:tc:SAML:2.0:status:Success"
        )
        assertion = etree.SubElement(
            response,
            f"{{{SAML}}}Assertion",
            nsmap={None: SAML},
            ID=assertion_id,
            IssueInstant=_instant(now),
            Version="2.0",
        )
        etree.SubElement(assertion, f"{{{SAML}}}Issuer").text = self.entity_id
        subject = etree.SubElement(assertion, f"{{{SAML}}}Subject")
        etree.SubElement(
            subject,
            f"{{{SAML}}}NameID",
            Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        ).text = name_id
        confirmation = etree.SubElement(
            subject,
            f"{{{SAML}}}SubjectConfirmation",
            Method="urn:oasis:names:tc:SAML:2.0:cm:bearer",
        )
        confirmation_data = etree.SubElement(
            confirmation,
            f"{{{SAML}}}SubjectConfirmationData",
            NotOnOrAfter=_instant(now + lifetime),
            Recipient=acs_url,
        )
        if in_response_to:
            confirmation_data.set("InResponseTo", in_response_to)
        conditions = etree.SubElement(
            assertion,
            f"{{{SAML}}}Conditions",
            NotBefore=_instant(now - dt.timedelta(minutes=5)),
            NotOnOrAfter=_instant(now + lifetime),
        )
        restriction = etree.SubElement(conditions, f"{{{SAML}}}AudienceRestriction")
        etree.SubElement(restriction, f"{{{SAML}}}Audience").text = audience
        if email:
            statement = etree.SubElement(assertion, f"{{{SAML}}}AttributeStatement")
            attribute = etree.SubElement(statement, f"{{{SAML}}}Attribute", Name=EMAIL_CLAIM)
            etree.SubElement(attribute, f"{{{SAML}}}AttributeValue").text = email
        authn = etree.SubElement(
            assertion,
            f"{{{SAML}}}AuthnStatement",
            AuthnInstant=_instant(now),
            SessionIndex=assertion_id,
        )
        context = etree.SubElement(authn, f"{{{SAML}}}AuthnContext")
        etree.SubElement(
            context, f"{{{SAML}}}AuthnContextClassRef"
        ).text = "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"
        if sign_assertion:
            sign(assertion, key_pem=self.key_pem, certificate_pem=self.certificate_pem)
        if sign_response:
            sign(response, key_pem=self.key_pem, certificate_pem=self.certificate_pem)
        if tamper_name_id is not None:
            response.find(f".//{{{SAML}}}NameID").text = tamper_name_id
        return etree.tostring(response)

    def response(self, **kwargs) -> str:
        """Return a signed Response Base64-encoded, as the SAMLResponse form field."""
        return base64.b64encode(self.response_xml(**kwargs)).decode()

    def federation_metadata(self, *, login_url: str) -> bytes:
        """Return Federation Metadata XML like Entra's (with its WS-Federation role first)."""
        certificate = certificate_base64(self.certificate_pem)
        return f"""<?xml version="1.0" encoding="utf-8"?>
<EntityDescriptor xmlns="{MD}" ID="_{uuid.uuid4()}" entityID="{self.entity_id}">
  <RoleDescriptor xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
      xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706"
      xsi:type="fed:SecurityTokenServiceType"
      protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706">
    <KeyDescriptor use="signing"><KeyInfo xmlns="{DS}"><X509Data>
      <X509Certificate>{certificate}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
  </RoleDescriptor>
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing"><KeyInfo xmlns="{DS}"><X509Data>
      <X509Certificate>{certificate}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
    <SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
      Location="{login_url}"/>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
      Location="{login_url}"/>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
      Location="{login_url}"/>
  </IDPSSODescriptor>
</EntityDescriptor>
""".encode()


@dataclass(frozen=True)
class AuthnRequest:
    """The parts of a received AuthnRequest that a response must answer."""

    id: str
    issuer: str
    acs_url: str


def authn_request_parse(saml_request: str) -> AuthnRequest:
    """Decode an HTTP-Redirect SAMLRequest (Base64 of raw DEFLATE)."""
    xml = zlib.decompress(base64.b64decode(saml_request), -15)
    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    return AuthnRequest(
        id=root.get("ID"),
        issuer=root.find(f"{{{SAML}}}Issuer").text,
        acs_url=root.get("AssertionConsumerServiceURL"),
    )


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def serve(idp: TestIdentityProvider, *, name_id: str) -> Iterator[str]:
    """Run the IdP's login endpoint on 127.0.0.1 and yield its URL.

    It answers an AuthnRequest as if `name_id` had signed in: an HTML page whose form
    posts the signed Response and RelayState to the SP's ACS URL.
    """

    def app(environ, start_response):
        query = parse_qs(environ.get("QUERY_STRING", ""))
        if "SAMLRequest" not in query:
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"SAMLRequest missing"]
        request = authn_request_parse(query["SAMLRequest"][0])
        saml_response = idp.response(
            name_id=name_id,
            email=name_id,
            acs_url=request.acs_url,
            audience=request.issuer,
            in_response_to=request.id,
        )
        relay_state = query.get("RelayState", [""])[0]
        page = f"""<!doctype html>
<html><head><title>Test identity provider</title></head>
<body>
<form method="post" action="{escape(request.acs_url)}">
  <input type="hidden" name="SAMLResponse" value="{escape(saml_response)}">
  <input type="hidden" name="RelayState" value="{escape(relay_state)}">
  <noscript><button type="submit">Continue</button></noscript>
</form>
<script>document.forms[0].submit();</script>
</body></html>"""
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [page.encode()]

    server = make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/saml2"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
