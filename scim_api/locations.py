"""Where a SCIM resource lives and which version it is: meta.location, Location and ETag."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from scim_api.values import scim_datetime


def base_location(request=None) -> str:
    """Return scheme://host of the request, so that meta.location uses the host Entra called."""
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    from django_scim.utils import default_base_scim_location_getter

    return default_base_scim_location_getter()


def resource_url(request, url_name: str) -> str:
    """Return the absolute URL of a SCIM endpoint (cached per request)."""
    cache = getattr(request, "_scim_urls", None)
    if cache is None:
        cache = request._scim_urls = {}
    if url_name not in cache:
        cache[url_name] = base_location(request) + reverse(url_name)
    return cache[url_name]


def etag(obj: Any) -> str:
    """Return the weak entity tag of an employee's or team's current version (RFC 7644 §3.14)."""
    return f'W/"{obj.version}"'


def resource_meta(resource_type: str, obj: Any, location: str) -> dict[str, str]:
    """Return a resource's `meta` (RFC 7643 §3.1): times, location and version."""
    return {
        "resourceType": resource_type,
        "created": scim_datetime(obj.created_at),
        "lastModified": scim_datetime(obj.updated_at),
        "location": location,
        "version": etag(obj),
    }
