"""POST /oauth2/token: the client credentials grant (RFC 6749 §4.4) and JWT assertions (RFC 7523).

Clients authenticate with client_secret_basic, client_secret_post, or a federated
credential's signed JWT (client_assertion, or the jwt-bearer grant's assertion). Failures
answer RFC 6749 §5.2 errors and are counted per client IP with refused access tokens (one
counter for SCIM, the API and this endpoint); past the limit the IP gets 429 until the
window ends. A client that authenticates is never throttled.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from http import HTTPStatus
from urllib.parse import unquote_plus

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from access_tokens.models import Scope
from access_tokens.throttle import token_failures
from alexis.http import client_ip
from oauth_clients.federation import (
    JWT_BEARER,
    JWT_BEARER_GRANT,
    AssertionRefused,
    verify_assertion,
)
from oauth_clients.models import ClientCredential
from oauth_clients.selectors import client_secret_authenticate
from oauth_clients.services import oauth_token_issue

logger = logging.getLogger(__name__)

CLIENT_CREDENTIALS = "client_credentials"
WWW_AUTHENTICATE = 'Basic realm="alexis"'


class OAuthError(Exception):
    """An RFC 6749 §5.2 error answer."""

    def __init__(self, error: str, description: str, status: int = HTTPStatus.BAD_REQUEST):
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


def _json(body: dict, status: int = HTTPStatus.OK) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    # RFC 6749 §5.1: token responses must not be stored by any cache.
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


def _invalid_client(description: str = "Client authentication failed.") -> OAuthError:
    return OAuthError("invalid_client", description, HTTPStatus.UNAUTHORIZED)


def _invalid_grant(description: str) -> OAuthError:
    return OAuthError("invalid_grant", description)


def _param(request: HttpRequest, name: str) -> str | None:
    values = request.POST.getlist(name)
    if len(values) > 1:
        # RFC 6749 §3.2: parameters must not be included more than once.
        raise OAuthError("invalid_request", f"The parameter {name} is repeated.")
    return values[0] if values else None


@sensitive_variables("header", "decoded", "secret")
def _basic_credentials(request: HttpRequest) -> tuple[str, str] | None:
    """Return (client_id, client_secret) from HTTP Basic (RFC 6749 §2.3.1), or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as error:
        raise _invalid_client("The Basic credentials are malformed.") from error
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise _invalid_client("The Basic credentials are malformed.")
    # Both parts are form-encoded before Base64 (RFC 6749 §2.3.1).
    return unquote_plus(client_id), unquote_plus(secret)


@sensitive_variables("basic", "secret", "assertion")
def _authenticate_client(request: HttpRequest, client_id: str | None) -> ClientCredential:
    basic = _basic_credentials(request)
    secret = _param(request, "client_secret")
    assertion_type = _param(request, "client_assertion_type")
    assertion = _param(request, "client_assertion")
    methods = [basic is not None, secret is not None, assertion_type is not None]
    if sum(methods) > 1:
        # RFC 6749 §2.3: a client must not use more than one authentication method.
        raise OAuthError("invalid_request", "Use one client authentication method only.")
    if basic is not None:
        if client_id is not None and client_id != basic[0]:
            raise OAuthError("invalid_request", "client_id differs from the Basic credentials.")
        credential = client_secret_authenticate(client_id=basic[0], secret=basic[1])
    elif secret is not None:
        if not client_id:
            raise _invalid_client("client_id is required with client_secret.")
        credential = client_secret_authenticate(client_id=client_id, secret=secret)
    elif assertion_type is not None:
        if assertion_type != JWT_BEARER or not assertion:
            raise _invalid_client(f"client_assertion_type must be {JWT_BEARER}.")
        credential = _verified(assertion, client_id, error=_invalid_client)
    else:
        raise _invalid_client("Client authentication is required.")
    if credential is None:
        raise _invalid_client()
    return credential


def _verified(assertion: str, client_id: str | None, *, error) -> ClientCredential:
    try:
        return verify_assertion(assertion, client_id=client_id)
    except AssertionRefused as refused:
        # Why is logged for the owner; the caller learns only that it was refused.
        logger.info("Federated assertion refused: %s", refused)
        raise error("The assertion is invalid, expired, already used or not trusted.") from None


def _granted_scopes(request: HttpRequest, credential: ClientCredential) -> list[str]:
    requested = _param(request, "scope")
    allowed = credential.client.scopes
    if requested is None or not requested.strip():
        return list(allowed)
    scopes = requested.split()
    unknown = [scope for scope in scopes if scope not in Scope.values]
    if unknown:
        raise OAuthError("invalid_scope", f"Unknown scope: {' '.join(unknown)}.")
    if set(scopes) - set(allowed):
        raise OAuthError("invalid_scope", "The client is not allowed the requested scope.")
    return scopes


def _credential(request: HttpRequest) -> ClientCredential:
    if request.body and request.content_type != "application/x-www-form-urlencoded":
        raise OAuthError(
            "invalid_request", "Send the parameters as application/x-www-form-urlencoded."
        )
    grant_type = _param(request, "grant_type")
    client_id = _param(request, "client_id")
    if grant_type == CLIENT_CREDENTIALS:
        return _authenticate_client(request, client_id)
    if grant_type == JWT_BEARER_GRANT:
        assertion = _param(request, "assertion")
        if not assertion:
            raise OAuthError("invalid_request", "The jwt-bearer grant needs an assertion.")
        return _verified(assertion, client_id, error=_invalid_grant)
    if grant_type is None:
        raise OAuthError("invalid_request", "grant_type is required.")
    raise OAuthError(
        "unsupported_grant_type",
        f"Use grant_type={CLIENT_CREDENTIALS} or {JWT_BEARER_GRANT}.",
    )


def _refusal(error: OAuthError, ip: str | None) -> HttpResponse:
    if error.error in ("invalid_client", "invalid_grant"):
        if wait := token_failures.retry_after(ip):
            response = _json(
                {
                    "error": "invalid_request",
                    "error_description": "Too many failed attempts from this address; retry later.",
                },
                HTTPStatus.TOO_MANY_REQUESTS,
            )
            response["Retry-After"] = str(wait)
            return response
        token_failures.record_failure(ip)
    response = _json({"error": error.error, "error_description": error.description}, error.status)
    if error.status == HTTPStatus.UNAUTHORIZED:
        response["WWW-Authenticate"] = WWW_AUTHENTICATE
    return response


@csrf_exempt
@require_POST
@sensitive_post_parameters("client_secret", "client_assertion", "assertion")
def token(request: HttpRequest) -> HttpResponse:
    """Issue an access token to an authenticated OAuth client (RFC 6749 §4.4, RFC 7523)."""
    ip = client_ip(request)
    try:
        credential = _credential(request)
        scopes = _granted_scopes(request, credential)
    except OAuthError as error:
        return _refusal(error, ip)
    issued = oauth_token_issue(credential=credential, scopes=scopes, ip_address=ip)
    return _json(
        {
            "access_token": issued.plaintext,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
            "scope": " ".join(issued.token.scopes),
        }
    )
