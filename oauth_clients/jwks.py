"""An issuer's public signing keys: uploaded, or fetched from its URL and cached.

A URL may be an OpenID configuration (its `jwks_uri` is followed) or a JWKS itself; a
federated credential without either uses the issuer's own
`<issuer>/.well-known/openid-configuration`, as Microsoft Entra ID publishes it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

logger = logging.getLogger(__name__)

# Only public signature keys: a symmetric key here would let its holders sign assertions.
KEY_TYPES = ("RSA", "EC")
MAX_DOCUMENT_BYTES = 512 * 1024


class KeysUnavailable(Exception):
    """The issuer's keys could not be fetched or read."""


def key_set_from(document: object) -> KeySet:
    """Return the public signature keys of a JWKS document, refusing anything else."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("A JWKS is a JSON object with a list of keys.")
    keys = [key for key in document["keys"] if isinstance(key, dict)]
    if any("d" in key or key.get("kty") == "oct" for key in keys):
        raise ValueError("This JWKS holds a private or shared key; give the public keys only.")
    # Other key types (such as OKP) an issuer may also publish are left out, not refused.
    keys = [key for key in keys if key.get("kty") in KEY_TYPES]
    if not keys:
        raise ValueError("Only RSA and EC public keys are accepted.")
    try:
        return KeySet.import_key_set({"keys": keys})
    except (JoseError, ValueError, TypeError) as error:
        raise ValueError(f"The keys cannot be read: {error}") from error


def validate_jwks(document: object) -> dict:
    """Return an uploaded JWKS if it holds public RSA or EC keys, else raise ValidationError."""
    try:
        key_set_from(document)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    return document  # type: ignore[return-value]


def check_url(url: str) -> None:
    """Refuse key URLs that are not https (or http where the settings allow it)."""
    schemes = ("https", "http") if settings.OAUTH_JWKS_ALLOW_HTTP else ("https",)
    parts = urlsplit(url)
    if parts.scheme not in schemes or not parts.hostname:
        raise ValidationError("Enter an https URL.")


def keys_url(issuer: str, jwks_url: str) -> str:
    """Return where an issuer's keys are read: the given URL or its OpenID configuration."""
    return jwks_url or issuer.rstrip("/") + "/.well-known/openid-configuration"


def _get_json(url: str) -> object:
    check_url(url)
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    # The scheme was checked above: only https (or http where allowed) is opened.
    with urllib.request.urlopen(  # noqa: S310
        request, timeout=settings.OAUTH_JWKS_FETCH_TIMEOUT_SECONDS
    ) as response:
        body = response.read(MAX_DOCUMENT_BYTES + 1)
    if len(body) > MAX_DOCUMENT_BYTES:
        raise ValueError("The document is too large.")
    return json.loads(body)


def _fetch(url: str) -> dict:
    try:
        document = _get_json(url)
        if isinstance(document, dict) and isinstance(document.get("jwks_uri"), str):
            document = _get_json(document["jwks_uri"])
        key_set_from(document)
    except (OSError, ValueError, ValidationError) as error:
        logger.warning("Cannot read signing keys from %s: %s", url, error)
        raise KeysUnavailable(url) from error
    return document  # type: ignore[return-value]


def _cache_key(url: str, what: str) -> str:
    return f"oauth:jwks:{what}:{hashlib.sha256(url.encode()).hexdigest()}"


def fetched_key_set(url: str, *, refresh: bool = False) -> tuple[KeySet, bool]:
    """Return the keys at a URL and whether they were fetched just now.

    They come from the cache unless absent, or unless a refresh is asked for; a refresh
    happens at most once per OAUTH_JWKS_REFRESH_SECONDS for a URL, so that assertions with
    made-up key ids cannot make Alexis fetch keys on every request.
    """
    document = cache.get(_cache_key(url, "keys"))
    if document is not None and refresh:
        marker = _cache_key(url, "refreshed")
        if cache.add(marker, 1, timeout=settings.OAUTH_JWKS_REFRESH_SECONDS):
            document = None
    fetched = document is None
    if fetched:
        document = _fetch(url)
        cache.set(_cache_key(url, "keys"), document, timeout=settings.OAUTH_JWKS_CACHE_SECONDS)
    return key_set_from(document), fetched
