"""{% avatar employee size %}: the employee's photo, or their initials on a colour of their own."""

from __future__ import annotations

import zlib

from django import template
from django.urls import reverse
from django.utils.html import format_html

from photos.images import SIZES

register = template.Library()
PALETTE = 12  # .avatar-c0 … .avatar-c11 in alexis.css (no inline styles under the CSP)
SHOWN = {"small": (32, 48), "medium": (56, 128), "large": (120, 320)}


def initials(name: str) -> str:
    """Return up to two initials: the first letters of the first and last words."""
    words = [word for word in name.replace("-", " ").split() if word[:1].isalpha()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def colour_index(name: str) -> int:
    """Return the same palette colour for the same name, on every page and server."""
    return zlib.crc32(name.casefold().encode()) % PALETTE


@register.simple_tag
def avatar(employee, size: str = "small") -> str:
    """Render the employee's face: decorative (alt=""), since the name is always beside it."""
    shown, source = SHOWN[size]
    assert source in SIZES  # noqa: S101 - a programming error, caught by the tests
    if employee.photo_version:
        url = reverse("photos:photo", kwargs={"public_id": employee.public_id, "size": source})
        return format_html(
            '<img class="avatar avatar-{}" src="{}?v={}" width="{}" height="{}" alt="" '
            'loading="lazy" decoding="async">',
            size,
            url,
            employee.photo_version,
            shown,
            shown,
        )
    name = employee.full_name or employee.user_name
    return format_html(
        '<span class="avatar avatar-{} initials avatar-c{}" aria-hidden="true">{}</span>',
        size,
        colour_index(name),
        initials(name),
    )
