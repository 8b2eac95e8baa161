"""Token generation, checksum and keyed digest.

A token reads `alx_<lookup:10><secret:44><checksum:6>`, all base62 (OAuth client secrets
use the same shape behind their own marker, `alxcs_`). The lookup part is
public and indexed; the secret carries 261 bits from `secrets`; the checksum is the
CRC32 of the lookup and secret, so that a mistyped or truncated token is refused without
a database query, and secret scanners can recognise a real one.
"""

import hashlib
import hmac
import secrets
import string
import zlib

from django.conf import settings

TOKEN_PREFIX = "alx_"  # noqa: S105 - a public marker, not a secret
CLIENT_SECRET_MARKER = "alxcs_"  # noqa: S105 - OAuth client secrets' public marker
CALENDAR_FEED_MARKER = "alxcal_"  # the secret in a personal time off calendar address
# Every credential Alexis hands out starts with one of these; redaction looks for them.
CREDENTIAL_MARKERS = (TOKEN_PREFIX, CLIENT_SECRET_MARKER, CALENDAR_FEED_MARKER)
ALPHABET = string.digits + string.ascii_letters
LOOKUP_LENGTH = 10
SECRET_LENGTH = 44
CHECKSUM_LENGTH = 6
BODY_LENGTH = LOOKUP_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH
TOKEN_LENGTH = len(TOKEN_PREFIX) + BODY_LENGTH


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _base62(number: int, width: int) -> str:
    digits = []
    while number:
        number, rest = divmod(number, 62)
        digits.append(ALPHABET[rest])
    return "".join(reversed(digits)).rjust(width, ALPHABET[0])


def checksum(body: str) -> str:
    """Return the 6-character base62 CRC32 of a token body."""
    return _base62(zlib.crc32(body.encode()), CHECKSUM_LENGTH)


def generate_token(marker: str = TOKEN_PREFIX) -> str:
    """Return a new random token with its checksum, starting with the marker (alx_ by default)."""
    body = _random(LOOKUP_LENGTH) + _random(SECRET_LENGTH)
    return f"{marker}{body}{checksum(body)}"


def public_prefix(token: str, marker: str = TOKEN_PREFIX) -> str | None:
    """Return the token's public lookup prefix if it is well formed, else None."""
    if len(token) != len(marker) + BODY_LENGTH or not token.startswith(marker):
        return None
    rest = token[len(marker) :]
    if any(char not in ALPHABET for char in rest):
        return None
    body, check = rest[:-CHECKSUM_LENGTH], rest[-CHECKSUM_LENGTH:]
    if not hmac.compare_digest(checksum(body), check):
        return None
    return marker + body[:LOOKUP_LENGTH]


def token_digest(token: str) -> str:
    """Return the keyed SHA-256 digest (HMAC) that is stored instead of the token."""
    key = settings.ACCESS_TOKEN_HASH_KEY.encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()
