"""Reads of role settings and of people by role."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from accounts.models import EntraRoleMapping
from accounts.roles import OWNER
from alexis.snapshot import Snapshot


def entra_role_mapping_get() -> EntraRoleMapping:
    """Return the Entra role mapping (off, with no values, until an owner saves one)."""
    mapping = EntraRoleMapping.objects.filter(pk=EntraRoleMapping.SINGLETON_ID).first()
    return mapping or EntraRoleMapping(pk=EntraRoleMapping.SINGLETON_ID)


# Whether SCIM keeps `roles`, asked on every SCIM request: kept in the process for a moment
# (see alexis/snapshot.py). Writes that grant HR admin read entra_role_mapping_get().
entra_role_mapping_current = Snapshot(entra_role_mapping_get, watch=(EntraRoleMapping,))


def owner_list() -> QuerySet:
    """Return the active users who hold the Owner role (superusers count as owners)."""
    return (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=OWNER), is_active=True)
        .distinct()
        .order_by("pk")
    )
