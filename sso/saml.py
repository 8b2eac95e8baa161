"""SAML 2.0 service-provider plumbing: python3-saml settings from the configuration and request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import xmlsec
from cryptography import x509
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.errors import OneLogin_Saml2_Error
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from sso.models import SsoConfiguration

# python3-saml allows this much clock difference (seconds) on the assertion's conditions.
CLOCK_SKEW = dt.timedelta(seconds=OneLogin_Saml2_Constants.ALLOWED_CLOCK_DRIFT)

# Claims Entra sends by default; the first one present is taken as the email address.
EMAIL_CLAIMS = (
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    "email",
    "mail",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
)

# Where the identifier that Entra asserts lives; "unspecified" lets Entra send its
# configured Unique User Identifier (user.userprincipalname by default).
NAME_ID_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"

# Entra's IDs are "_" and a GUID; anything longer than the replay record holds is refused.
MAX_ASSERTION_ID_LENGTH = 255


class SamlResponseInvalid(Exception):
    """The SAML response failed validation; `reason` says why (for logs, not for users)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ServiceProviderUrls:
    """The values an owner pastes into the Entra enterprise application."""

    entity_id: str
    acs_url: str
    sign_on_url: str
    metadata_url: str


@dataclass(frozen=True)
class SamlIdentity:
    """What a valid SAML response asserts about the person signing in."""

    name_id: str
    email: str
    assertion_id: str
    expires_at: dt.datetime


def service_provider_urls(request: HttpRequest) -> ServiceProviderUrls:
    """Return this deployment's SAML endpoints, absolute, for the host the request came to."""
    metadata_url = request.build_absolute_uri(reverse("sso:metadata"))
    return ServiceProviderUrls(
        entity_id=metadata_url,
        acs_url=request.build_absolute_uri(reverse("sso:acs")),
        sign_on_url=request.build_absolute_uri(reverse("sso:login")),
        metadata_url=metadata_url,
    )


def saml_settings(request: HttpRequest, configuration: SsoConfiguration) -> dict:
    """Build python3-saml settings: strict, signatures required, our endpoints, the IdP's."""
    urls = service_provider_urls(request)
    return {
        "strict": True,
        "debug": False,
        "sp": {
            "entityId": urls.entity_id,
            "assertionConsumerService": {
                "url": urls.acs_url,
                "binding": OneLogin_Saml2_Constants.BINDING_HTTP_POST,
            },
            "NameIDFormat": NAME_ID_FORMAT,
        },
        "idp": {
            "entityId": configuration.idp_entity_id,
            "singleSignOnService": {
                "url": configuration.idp_login_url,
                "binding": OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT,
            },
            "x509cert": configuration.idp_certificate,
        },
        "security": {
            # Entra signs the assertion by default and can sign the response instead (or
            # both). Either is accepted; python3-saml refuses a response with no signature.
            "wantAssertionsSigned": False,
            "wantMessagesSigned": False,
            "wantNameId": True,
            "wantAttributeStatement": False,
            "wantAssertionsEncrypted": False,
            "wantNameIdEncrypted": False,
            "authnRequestsSigned": False,
            "signMetadata": False,
            # Entra may satisfy sign-in with MFA or passwordless; do not pin a context.
            "requestedAuthnContext": False,
            "rejectDeprecatedAlgorithm": True,
            "allowSingleLabelDomains": True,
        },
    }


def _request_data(request: HttpRequest) -> dict:
    return {
        "https": "on" if request.is_secure() else "off",
        "http_host": request.get_host(),
        "script_name": request.path,
        "get_data": request.GET.copy(),
        "post_data": request.POST.copy(),
    }


def _auth(request: HttpRequest, configuration: SsoConfiguration) -> OneLogin_Saml2_Auth:
    return OneLogin_Saml2_Auth(
        _request_data(request), old_settings=saml_settings(request, configuration)
    )


def authn_request_url(
    request: HttpRequest, configuration: SsoConfiguration, *, relay_state: str
) -> tuple[str, str]:
    """Return the IdP URL carrying a new AuthnRequest (HTTP-Redirect binding) and its ID."""
    auth = _auth(request, configuration)
    url = auth.login(return_to=relay_state)
    return url, auth.get_last_request_id()


def _check_certificate_current(configuration: SsoConfiguration) -> None:
    # xmlsec verifies with the key alone; an expired certificate must stop sign-ins too.
    try:
        certificate = x509.load_pem_x509_certificate(configuration.idp_certificate.encode())
    except ValueError:
        raise SamlResponseInvalid("The configured signing certificate cannot be read") from None
    expires = certificate.not_valid_after_utc
    if expires <= timezone.now():
        raise SamlResponseInvalid(
            f"The configured signing certificate expired on {expires:%Y-%m-%d}"
        )


def response_identity(
    request: HttpRequest, configuration: SsoConfiguration, *, request_id: str | None = None
) -> SamlIdentity:
    """Validate the posted SAMLResponse and return who it asserts, or raise SamlResponseInvalid.

    Checks the signature against the configured certificate, the issuer, audience,
    destination, recipient and time conditions, and InResponseTo when `request_id` is known.
    """
    _check_certificate_current(configuration)
    auth = _auth(request, configuration)
    try:
        auth.process_response(request_id=request_id)
    except OneLogin_Saml2_Error as exc:
        raise SamlResponseInvalid(str(exc)) from None
    except (ValueError, etree.LxmlError, xmlsec.Error) as exc:
        # Malformed Base64 or XML in SAMLResponse, or XML the signature code cannot read.
        raise SamlResponseInvalid(f"Unreadable SAMLResponse ({type(exc).__name__})") from None
    if auth.get_errors():
        raise SamlResponseInvalid(auth.get_last_error_reason() or ", ".join(auth.get_errors()))
    if not auth.is_authenticated():
        raise SamlResponseInvalid("The response did not authenticate anyone")
    assertion_id = auth.get_last_assertion_id()
    not_on_or_after = auth.get_last_assertion_not_on_or_after()
    if not assertion_id or len(assertion_id) > MAX_ASSERTION_ID_LENGTH:
        raise SamlResponseInvalid("The assertion has no usable ID")
    if not not_on_or_after:
        # SAML 2.0 profiles §4.1.4.2: bearer confirmation must carry NotOnOrAfter; without it
        # an assertion would be valid forever and could not be refused as a replay.
        raise SamlResponseInvalid("The subject confirmation has no NotOnOrAfter")
    attributes = auth.get_attributes()
    email = ""
    for claim in EMAIL_CLAIMS:
        values = attributes.get(claim) or []
        if values and values[0]:
            email = str(values[0]).strip()
            break
    return SamlIdentity(
        name_id=(auth.get_nameid() or "").strip(),
        email=email,
        assertion_id=assertion_id,
        expires_at=dt.datetime.fromtimestamp(not_on_or_after, tz=dt.UTC) + CLOCK_SKEW,
    )


def service_provider_metadata(request: HttpRequest) -> str:
    """Return this service provider's SAML metadata XML (no IdP configuration needed)."""
    settings = {
        "strict": True,
        "sp": saml_settings(request, SsoConfiguration())["sp"],
        "security": {"allowSingleLabelDomains": True, "wantAssertionsSigned": True},
    }
    metadata = OneLogin_Saml2_Settings(settings, sp_validation_only=True).get_sp_metadata()
    return metadata.decode() if isinstance(metadata, bytes) else metadata
