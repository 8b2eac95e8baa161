"""Workload identity federation: verify an external issuer's signed JWT (RFC 7523).

All JOSE work (parsing, signature, claims) is joserfc's. Alexis only decides which
federated credential an assertion claims to match, which keys may have signed it, and
that its jti is used once.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from django.conf import settings
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from oauth_clients.jwks import KeysUnavailable, fetched_key_set, key_set_from, keys_url
from oauth_clients.models import ClientCredential
from oauth_clients.selectors import federated_credentials_for
from oauth_clients.services import oauth_assertion_use

logger = logging.getLogger(__name__)

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# Asymmetric signatures only: "none" and HMAC (which would let a public key act as a shared
# secret) are refused before any key is looked at.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]


class AssertionRefused(Exception):
    """The assertion is not acceptable; the message says why (for the log, not the caller)."""


def _audiences(claims: dict) -> list[str]:
    aud = claims.get("aud")
    if isinstance(aud, str):
        return [aud]
    return [value for value in aud if isinstance(value, str)] if isinstance(aud, list) else []


def _credential_for(claims: dict, client_id: str | None) -> ClientCredential:
    issuer, subject = claims.get("iss"), claims.get("sub")
    if not isinstance(issuer, str) or not isinstance(subject, str):
        raise AssertionRefused("the assertion names no issuer or subject")
    candidates = federated_credentials_for(issuer=issuer, subject=subject, client_id=client_id)
    if not candidates:
        raise AssertionRefused("no active federated credential for this issuer and subject")
    audiences = _audiences(claims)
    for credential in candidates:
        if credential.audience in audiences:
            return credential
    raise AssertionRefused("the assertion's audience is not the one configured")


def _key_set(credential: ClientCredential, kid: str | None) -> KeySet:
    if credential.jwks:
        return key_set_from(credential.jwks)
    url = keys_url(credential.issuer, credential.jwks_url)
    keys, fetched = fetched_key_set(url)
    if kid is not None and kid not in {key.kid for key in keys} and not fetched:
        # The issuer may have rotated its keys since they were cached: refetch once.
        keys, _ = fetched_key_set(url, refresh=True)
    if kid is not None and kid not in {key.kid for key in keys}:
        raise AssertionRefused("no key with the assertion's key id")
    return keys


def verify_assertion(assertion: str, *, client_id: str | None = None) -> ClientCredential:
    """Return the federated credential a valid, unused assertion proves, else raise.

    Checked: an asymmetric algorithm, the signature against the credential's issuer keys,
    iss, sub and aud against the credential, exp (required), nbf and iat with
    OAUTH_ASSERTION_CLOCK_SKEW_SECONDS of skew, and a jti (or Entra's uti) not seen before.
    """
    chosen: list[ClientCredential] = []

    def resolve_key(obj) -> KeySet:
        # joserfc hands over the parsed, not yet verified token to pick the key with.
        header = obj.headers()
        if header.get("alg") not in ALGORITHMS:
            raise AssertionRefused("the algorithm is not allowed")
        try:
            claims = json.loads(obj.payload)
        except ValueError as error:
            raise AssertionRefused("the payload is not JSON") from error
        if not isinstance(claims, dict):
            raise AssertionRefused("the payload is not a JSON object")
        credential = _credential_for(claims, client_id)
        chosen.append(credential)
        kid = header.get("kid")
        return _key_set(credential, kid if isinstance(kid, str) else None)

    try:
        token = jwt.decode(assertion, resolve_key, algorithms=ALGORITHMS)
    except KeysUnavailable as error:
        raise AssertionRefused("the issuer's keys cannot be fetched") from error
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise AssertionRefused(f"the assertion is invalid ({type(error).__name__})") from error
    credential = chosen[0]
    skew = settings.OAUTH_ASSERTION_CLOCK_SKEW_SECONDS
    registry = jwt.JWTClaimsRegistry(
        leeway=skew,
        iss={"essential": True, "value": credential.issuer},
        sub={"essential": True, "value": credential.subject},
        aud={"essential": True, "value": credential.audience},
        exp={"essential": True},
    )
    try:
        registry.validate(token.claims)
    except JoseError as error:
        raise AssertionRefused(f"the assertion's claims are invalid ({error})") from error
    jti = token.claims.get("jti") or token.claims.get("uti")
    if not isinstance(jti, str):
        raise AssertionRefused("the assertion has no jti")
    expires_at = dt.datetime.fromtimestamp(token.claims["exp"] + skew, tz=dt.UTC)
    if not oauth_assertion_use(credential=credential, jti=jti, expires_at=expires_at):
        raise AssertionRefused("the assertion was already used")
    return credential
