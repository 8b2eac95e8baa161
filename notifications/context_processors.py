"""Whether the signed-in person can receive any notification (for the navigation)."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from notifications.kinds import kinds_for


def notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "receives_notifications": SimpleLazyObject(
            lambda: bool(user is not None and user.is_authenticated and kinds_for(user))
        )
    }
