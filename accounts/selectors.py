"""Reads of role settings."""

from accounts.models import EntraRoleMapping


def entra_role_mapping_get() -> EntraRoleMapping:
    """Return the Entra role mapping (off, with no values, until an owner saves one)."""
    mapping = EntraRoleMapping.objects.filter(pk=EntraRoleMapping.SINGLETON_ID).first()
    return mapping or EntraRoleMapping(pk=EntraRoleMapping.SINGLETON_ID)
