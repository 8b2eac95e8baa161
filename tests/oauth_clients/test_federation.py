"""Workload identity federation: signed assertions exchanged for tokens (RFC 7523).

Keys are generated here; one issuer publishes them through a local HTTP server (OpenID
configuration, then JWKS), another credential has them uploaded.
"""

import base64
import json
import threading
import time
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from joserfc import jwt
from joserfc.errors import SecurityWarning
from joserfc.jwk import ECKey, KeySet, OctKey, RSAKey

from access_tokens.models import AccessToken, Scope
from oauth_clients.federation import JWT_BEARER, JWT_BEARER_GRANT
from oauth_clients.services import (
    oauth_client_create,
    oauth_credential_revoke,
    oauth_federated_credential_add,
)
from tests.oauth_clients.conftest import request_token

pytestmark = pytest.mark.django_db

SUBJECT = "9b3c6a52-entra-service-principal"
AUDIENCE = "api://AzureADTokenExchange"

RSA_KEY = RSAKey.generate_key(2048, parameters={"kid": "rsa-1", "use": "sig"})
EC_KEY = ECKey.generate_key("P-256", parameters={"kid": "ec-1", "use": "sig"})
ROTATED_KEY = RSAKey.generate_key(2048, parameters={"kid": "rsa-2", "use": "sig"})
STRANGER_KEY = RSAKey.generate_key(2048, parameters={"kid": "rsa-1", "use": "sig"})


def public_jwks(*keys) -> dict:
    return KeySet(list(keys)).as_dict(private=False)


class Issuer:
    """A local OpenID provider: /.well-known/openid-configuration and /keys."""

    def __init__(self) -> None:
        self.keys = [RSA_KEY, EC_KEY]
        self.other_keys: list[dict] = []  # published as they are, beside self.keys
        self.key_fetches = 0
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    body = {"issuer": issuer.url, "jwks_uri": f"{issuer.url}/keys"}
                elif self.path == "/keys":
                    issuer.key_fetches += 1
                    body = public_jwks(*issuer.keys)
                    body["keys"] += issuer.other_keys
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def issuer(settings):
    settings.OAUTH_JWKS_ALLOW_HTTP = True
    server = Issuer()
    yield server
    server.close()


@pytest.fixture
def federated(owner, issuer):
    """A client trusting the local issuer's tokens for SUBJECT and AUDIENCE."""
    created = oauth_client_create(name="Entra workload", scopes=[Scope.SCIM], created_by=owner)
    credential = oauth_federated_credential_add(
        client=created.client,
        created_by=owner,
        name="Entra workload identity",
        issuer=issuer.url,
        subject=SUBJECT,
        audience=AUDIENCE,
    )
    return credential


@pytest.fixture
def uploaded(owner):
    """A client whose credential has the issuer's public keys uploaded (closed network)."""
    created = oauth_client_create(name="Closed network", scopes=[Scope.SCIM], created_by=owner)
    return oauth_federated_credential_add(
        client=created.client,
        created_by=owner,
        name="Uploaded keys",
        issuer="https://issuer.internal.example",
        subject=SUBJECT,
        audience=AUDIENCE,
        jwks=public_jwks(EC_KEY),
    )


def claims(issuer_url: str, **changes) -> dict:
    now = int(time.time())
    values = {
        "iss": issuer_url,
        "sub": SUBJECT,
        "aud": AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": str(uuid.uuid4()),
    }
    values.update(changes)
    return {name: value for name, value in values.items() if value is not None}


def sign(payload: dict, key=RSA_KEY, alg: str = "RS256", kid: str | None = None) -> str:
    return jwt.encode({"alg": alg, "kid": kid or key.kid}, payload, key)


def as_client(assertion: str, client_id: str | None = None, ip: str = "192.0.2.20"):
    data = {
        "grant_type": "client_credentials",
        "client_assertion_type": JWT_BEARER,
        "client_assertion": assertion,
    }
    if client_id:
        data["client_id"] = client_id
    return request_token(data, ip=ip)


def refusals(caplog) -> list[str]:
    """Why the endpoint refused assertions, as logged for the owner."""
    return [
        r.getMessage().removeprefix("Federated assertion refused: ")
        for r in caplog.records
        if r.getMessage().startswith("Federated assertion refused")
    ]


def as_grant(assertion: str):
    return request_token({"grant_type": JWT_BEARER_GRANT, "assertion": assertion})


def b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_valid_rsa_assertion_gets_a_token_that_provisions(federated, issuer):
    response = as_client(sign(claims(issuer.url)), client_id=federated.client.client_id)

    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert (body["token_type"], body["scope"]) == ("Bearer", "scim")
    token = AccessToken.objects.get()
    assert token.oauth_credential == federated
    scim = Client(HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    assert scim.get("/scim/v2/Users").status_code == HTTPStatus.OK
    federated.refresh_from_db()
    assert federated.last_used_ip == "192.0.2.20"


def test_a_valid_ec_assertion_works_through_the_jwt_bearer_grant(federated, issuer):
    response = as_grant(sign(claims(issuer.url), key=EC_KEY, alg="ES256"))

    assert response.status_code == HTTPStatus.OK
    assert response.json()["scope"] == "scim"


def test_keys_are_fetched_once_and_cached(federated, issuer):
    for _ in range(3):
        assert as_grant(sign(claims(issuer.url))).status_code == HTTPStatus.OK

    assert issuer.key_fetches == 1


def test_uploaded_keys_need_no_network(uploaded):
    assertion = sign(claims("https://issuer.internal.example"), key=EC_KEY, alg="ES256")

    response = as_client(assertion, client_id=uploaded.client.client_id)

    assert response.status_code == HTTPStatus.OK
    # The uploaded set holds the EC key only: an RSA-signed assertion is refused.
    rsa = sign(claims("https://issuer.internal.example"))
    assert as_client(rsa).status_code == HTTPStatus.UNAUTHORIZED


# Each case: the claims it changes (given now) and why the log says it was refused.
REFUSED_CLAIMS = {
    "wrong audience": (lambda now: {"aud": "api://someone-else"}, "audience"),
    "wrong issuer": (
        lambda now: {"iss": "https://login.example.net/other/v2.0"},
        "no active federated credential",
    ),
    "wrong subject": (lambda now: {"sub": "another-principal"}, "no active federated credential"),
    "expired": (lambda now: {"exp": now - 3600, "iat": now - 7200}, "expired"),
    "not yet valid": (lambda now: {"nbf": now + 3600}, "not yet valid"),
    "issued in the future": (lambda now: {"iat": now + 3600}, "issued in the future"),
    "no expiry": (lambda now: {"exp": None}, "exp"),
    "no jti": (lambda now: {"jti": None}, "no jti"),
}


@pytest.mark.parametrize("case", REFUSED_CLAIMS)
def test_refused_claims_as_client_authentication_are_invalid_client(
    federated, issuer, case, caplog
):
    changes, reason = REFUSED_CLAIMS[case]

    response = as_client(sign(claims(issuer.url, **changes(int(time.time())))))

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"] == 'Basic realm="alexis"'
    assert response.json() == {
        "error": "invalid_client",
        "error_description": "The assertion is invalid, expired, already used or not trusted.",
    }
    assert not AccessToken.objects.exists()
    [logged] = refusals(caplog)
    assert reason in logged


def test_a_small_clock_skew_is_allowed(federated, issuer, settings):
    settings.OAUTH_ASSERTION_CLOCK_SKEW_SECONDS = 60
    now = int(time.time())

    early = claims(issuer.url, nbf=now + 30, iat=now + 30)
    late = claims(issuer.url, exp=now - 30)

    assert as_grant(sign(early)).status_code == HTTPStatus.OK
    assert as_grant(sign(late)).status_code == HTTPStatus.OK


def test_refused_assertions_in_the_grant_are_invalid_grant(federated, issuer):
    response = as_grant(sign(claims(issuer.url, aud="api://someone-else")))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"] == "invalid_grant"


def test_a_bad_signature_is_refused(federated, issuer, caplog):
    # Same kid, another key: the signature does not verify against the published key.
    forged = sign(claims(issuer.url), key=STRANGER_KEY)
    header, _payload, signature = sign(claims(issuer.url)).split(".")
    tampered = f"{header}.{b64(claims(issuer.url, sub=SUBJECT, scope='all'))}.{signature}"

    assert as_grant(forged).status_code == HTTPStatus.BAD_REQUEST
    assert as_grant(tampered).status_code == HTTPStatus.BAD_REQUEST
    assert not AccessToken.objects.exists()
    assert refusals(caplog) == ["the assertion is invalid (BadSignatureError)"] * 2


def test_alg_none_is_refused(federated, issuer, caplog):
    unsigned = f"{b64({'alg': 'none', 'kid': 'rsa-1'})}.{b64(claims(issuer.url))}."

    assert as_grant(unsigned).status_code == HTTPStatus.BAD_REQUEST
    assert as_client(unsigned).status_code == HTTPStatus.UNAUTHORIZED
    assert len(refusals(caplog)) == 2
    assert all("algorithm" in reason or "Unsupported" in reason for reason in refusals(caplog))


def test_hs256_with_the_public_key_as_secret_is_refused(federated, issuer, caplog):
    public_pem = RSA_KEY.as_pem(private=False)
    with pytest.warns(SecurityWarning):
        shared_secret = OctKey.import_key(public_pem)
    confused = jwt.encode({"alg": "HS256", "kid": "rsa-1"}, claims(issuer.url), shared_secret)

    assert as_grant(confused).status_code == HTTPStatus.BAD_REQUEST
    assert not AccessToken.objects.exists()
    [reason] = refusals(caplog)
    assert "algorithm" in reason or "Unsupported" in reason


def test_a_replayed_jti_is_refused(federated, issuer, caplog):
    assertion = sign(claims(issuer.url))

    assert as_grant(assertion).status_code == HTTPStatus.OK
    assert as_grant(assertion).status_code == HTTPStatus.BAD_REQUEST
    jti = json.loads(base64.urlsafe_b64decode(assertion.split(".")[1] + "=="))["jti"]
    same_jti = sign(claims(issuer.url, jti=jti))
    assert as_client(same_jti).status_code == HTTPStatus.UNAUTHORIZED
    assert AccessToken.objects.count() == 1
    assert refusals(caplog) == ["the assertion was already used"] * 2


def test_an_unknown_kid_refetches_the_keys_once_then_refuses(federated, issuer, settings, caplog):
    settings.OAUTH_JWKS_REFRESH_SECONDS = 60
    assert as_grant(sign(claims(issuer.url))).status_code == HTTPStatus.OK
    assert issuer.key_fetches == 1

    unknown = sign(claims(issuer.url), key=ROTATED_KEY)

    assert as_grant(unknown).status_code == HTTPStatus.BAD_REQUEST
    assert issuer.key_fetches == 2
    # Within the refresh interval another unknown kid does not fetch again.
    assert as_grant(sign(claims(issuer.url), key=ROTATED_KEY)).status_code == 400
    assert issuer.key_fetches == 2
    assert refusals(caplog) == ["no key with the assertion's key id"] * 2


def test_a_rotated_key_is_found_by_the_refresh(federated, issuer):
    assert as_grant(sign(claims(issuer.url))).status_code == HTTPStatus.OK
    issuer.keys = [RSA_KEY, ROTATED_KEY]

    response = as_grant(sign(claims(issuer.url), key=ROTATED_KEY))

    assert response.status_code == HTTPStatus.OK
    assert issuer.key_fetches == 2


def test_an_unreachable_issuer_is_refused_without_a_500(owner, settings):
    settings.OAUTH_JWKS_ALLOW_HTTP = True
    settings.OAUTH_JWKS_FETCH_TIMEOUT_SECONDS = 1
    created = oauth_client_create(name="Offline", scopes=[Scope.SCIM], created_by=owner)
    oauth_federated_credential_add(
        client=created.client,
        created_by=owner,
        name="Offline issuer",
        issuer="http://127.0.0.1:9",
        subject=SUBJECT,
        audience=AUDIENCE,
    )

    response = as_grant(sign(claims("http://127.0.0.1:9")))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"] == "invalid_grant"


def test_a_removed_credential_kills_its_tokens(federated, issuer, owner):
    token = as_grant(sign(claims(issuer.url))).json()["access_token"]

    oauth_credential_revoke(credential=federated, revoked_by=owner)

    scim = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert scim.get("/scim/v2/Users").status_code == HTTPStatus.UNAUTHORIZED
    assert as_grant(sign(claims(issuer.url))).status_code == HTTPStatus.BAD_REQUEST


def test_the_client_id_must_match_the_credential(federated, issuer, owner):
    other = oauth_client_create(name="Other", scopes=[Scope.SCIM], created_by=owner)

    response = as_client(sign(claims(issuer.url)), client_id=other.client.client_id)

    assert response.status_code == HTTPStatus.UNAUTHORIZED


def test_a_private_key_cannot_be_uploaded(owner):
    from django.core.exceptions import ValidationError

    from oauth_clients.jwks import validate_jwks

    with pytest.raises(ValidationError) as refused:
        validate_jwks(KeySet([RSA_KEY]).as_dict(private=True))

    assert refused.value.messages == [
        "This JWKS holds a private or shared key; give the public keys only."
    ]


def test_keys_of_other_types_in_a_published_set_are_left_out(federated, issuer):
    issuer.other_keys = [
        {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg", "kid": "ed-1"}
    ]

    assert as_grant(sign(claims(issuer.url))).status_code == HTTPStatus.OK


def test_one_issuer_subject_and_audience_proves_one_client_only(federated, issuer, owner):
    from django.core.exceptions import ValidationError

    other = oauth_client_create(name="Second", scopes=[Scope.SCIM], created_by=owner)

    with pytest.raises(ValidationError) as refused:
        oauth_federated_credential_add(
            client=other.client,
            created_by=owner,
            name="Same identity",
            issuer=issuer.url,
            subject=SUBJECT,
            audience=AUDIENCE,
        )

    assert refused.value.message_dict == {
        "subject": ["A client already trusts this issuer, subject and audience."]
    }
