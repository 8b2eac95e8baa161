"""Signing secrets: generated, encrypted at rest, and used to sign deliveries.

A signing secret must be readable again to sign each delivery (HMAC needs the key itself), so
it cannot be stored as a one-way digest like access tokens are. It is stored encrypted with
Fernet (AES-128-CBC + HMAC-SHA256) under MultiFernet: the first key of WEBHOOKS_SECRET_KEYS
encrypts, every key decrypts, so keys rotate without re-registering endpoints
(`manage.py rotate_webhook_secrets` re-encrypts every secret under the first key).

Signatures follow Standard Webhooks: `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")),
with the secret shown to owners as `whsec_` + base64(key).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

SECRET_PREFIX = "whsec_"  # noqa: S105 - the Standard Webhooks marker, not a secret
SECRET_BYTES = 32


def generate_secret() -> str:
    """Return a new signing secret in the Standard Webhooks format."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def derive_key(material: str) -> bytes:
    """Return a Fernet key derived from a server secret (used when no keys are configured)."""
    digest = hashlib.sha256(b"alexis.webhooks.secret-encryption:" + material.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def encryption_keys() -> list[bytes]:
    """Return the keys, newest first: WEBHOOKS_SECRET_KEYS, else derived from SECRET_KEY and
    its fallbacks (so rotating Django's SECRET_KEY the documented way keeps secrets readable)."""
    configured = [key.encode() for key in settings.WEBHOOKS_SECRET_KEYS]
    if configured:
        return configured
    return [derive_key(key) for key in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]]


@cache
def _fernet(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(encryption_keys()))


def encrypt_secret(secret: str) -> str:
    return fernet().encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str:
    return fernet().decrypt(token.encode()).decode()


def reencrypt_secret(token: str) -> str:
    """Return the secret encrypted under the newest key (MultiFernet.rotate)."""
    return fernet().rotate(token.encode()).decode()


def sign(secret: str, *, message_id: str, timestamp: int, body: bytes) -> str:
    """Return the `webhook-signature` header value for one message."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()
