"""Telling owners about their webhooks: an endpoint that kept failing was disabled."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from accounts.roles import OWNER
from webhooks.models import WebhookEndpoint


def endpoint_disabled_notify(*, endpoint_id: int) -> int:
    """Email every active owner that the endpoint is off and why; return how many were told."""
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, enabled=False).first()
    if endpoint is None:
        return 0  # turned back on (or deleted) since: nothing to say
    recipients = sorted(
        get_user_model()
        .objects.filter(is_active=True, groups__name=OWNER)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return 0
    send_mail(
        subject=f"Webhook endpoint disabled: {endpoint.url}",
        message=(
            f"Alexis stopped sending webhooks to {endpoint.url}.\n\n"
            f"{endpoint.disabled_reason}\n\n"
            "Fix the receiving system, then open Settings > Webhooks in Alexis, turn the "
            "endpoint back on and resend the deliveries it missed.\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )
    return len(recipients)
