"""Reads of people by role."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from accounts.roles import OWNER


def owner_list() -> QuerySet:
    """Return the active users who hold the Owner role (superusers count as owners)."""
    return (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=OWNER), is_active=True)
        .distinct()
        .order_by("pk")
    )
