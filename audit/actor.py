"""Who makes a change and through which channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from audit.models import Channel

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from access_tokens.models import AccessToken


@dataclass(frozen=True)
class Actor:
    """Who makes a change and through which channel; recorded in the change history."""

    channel: str
    user: User | None = None
    token: AccessToken | None = None

    @classmethod
    def system(cls) -> Actor:
        return cls(channel=Channel.SYSTEM)
