"""Client ids and client secrets: same shape, checksum and keyed digest as access tokens."""

import secrets

from access_tokens.crypto import ALPHABET, LOOKUP_LENGTH, generate_token, public_prefix
from access_tokens.crypto import CLIENT_SECRET_MARKER as SECRET_MARKER

CLIENT_ID_MARKER = "alxc_"
CLIENT_ID_LENGTH = 20


def generate_client_secret() -> str:
    """Return a new client secret, `alxcs_<lookup:10><secret:44><checksum:6>`."""
    return generate_token(SECRET_MARKER)


def secret_prefix(secret: str) -> str | None:
    """Return the secret's public lookup prefix if it is well formed, else None."""
    return public_prefix(secret, SECRET_MARKER)


def secret_prefix_length() -> int:
    return len(SECRET_MARKER) + LOOKUP_LENGTH


def generate_client_id() -> str:
    """Return a new public client id, `alxc_` and 20 random base62 characters."""
    return CLIENT_ID_MARKER + "".join(secrets.choice(ALPHABET) for _ in range(CLIENT_ID_LENGTH))
