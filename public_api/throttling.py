"""Per-token rate limits for the public API, counted in Django's shared cache."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from access_tokens.models import AccessToken
from alexis.throttle import window_count


class AccessTokenRateThrottle(SimpleRateThrottle):
    """Limit each access token to ALEXIS_API_THROTTLE_RATE requests (e.g. "600/minute").

    The count is kept in the default cache (the database cache, or Redis when REDIS_URL
    is set), so every app server shares it. The key is the token's public prefix, which
    is unique and never reused. Requests without a token are not counted here: they are
    refused before throttling.

    A token's first request opens a window of the rate's period (a minute for 600/minute);
    past the number in that window, requests are refused until it ends. One counter per
    token, not DRF's list of every request's time: on Redis one round trip, whatever the rate.
    """

    scope = "api_token"

    def get_rate(self) -> str:
        # Read at request time so that a changed setting applies without a restart of
        # the class (tests change it with the settings fixture).
        return settings.ALEXIS_API_THROTTLE_RATE

    def get_cache_key(self, request, view) -> str | None:
        token = request.auth
        if not isinstance(token, AccessToken):
            return None
        # Tokens issued to one OAuth credential share its count, so minting more tokens
        # does not raise the limit.
        ident = f"oauth{token.oauth_credential_id}" if token.oauth_credential_id else token.prefix
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view) -> bool:
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        limit, seconds = self.parse_rate(self.get_rate())
        count, self.seconds_left = window_count(key, seconds)
        return count <= limit

    def wait(self) -> float:
        """Seconds until the token's window ends (Retry-After)."""
        return self.seconds_left
