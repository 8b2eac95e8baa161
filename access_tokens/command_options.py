"""Arguments that the credential-creating management commands share: the owner and the scopes."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from access_tokens.models import Scope


def owner_and_scopes(options: dict):
    """Return the owner named by --owner and the scopes listed in --scopes, or a CommandError."""
    user_model = get_user_model()
    try:
        owner = user_model._default_manager.get_by_natural_key(options["owner"])
    except user_model.DoesNotExist as error:
        raise CommandError(f"No user with the user name {options['owner']!r}.") from error
    scopes = [scope.strip() for scope in options["scopes"].split(",") if scope.strip()]
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise CommandError(
            f"Unknown scope {', '.join(unknown)}; choose from {', '.join(Scope.values)}."
        )
    return owner, scopes
