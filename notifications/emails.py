"""The email for a notification: plain text and HTML that look like the web app."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from notifications.models import Notification


def absolute_url(path: str) -> str:
    """Return `path` on the address people use to reach Alexis (ALEXIS_SITE_URL)."""
    return settings.ALEXIS_SITE_URL.rstrip("/") + path


def build_email(notification: Notification) -> EmailMultiAlternatives:
    """Build the email: subject, text and HTML bodies, and a List-Unsubscribe header.

    List-Unsubscribe (RFC 2369) points at the recipient's notification settings, where
    they choose per kind between email, the app only, and off.
    """
    settings_link = absolute_url(reverse("notifications:settings"))
    context = {
        "notification": notification,
        "link": absolute_url(notification.url),
        "settings_link": settings_link,
        "site_url": settings.ALEXIS_SITE_URL.rstrip("/"),
    }
    message = EmailMultiAlternatives(
        subject=notification.title,
        body=render_to_string("notifications/email/message.txt", context),
        to=[notification.recipient.email],
        headers={"List-Unsubscribe": f"<{settings_link}>", "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(
        render_to_string("notifications/email/message.html", context), "text/html"
    )
    return message
