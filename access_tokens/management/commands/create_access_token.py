"""Create an access token from the command line and print it once (for scripted set-ups)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from access_tokens.command_options import owner_and_scopes
from access_tokens.models import Scope
from access_tokens.services import access_token_create
from alexis.service_errors import command_error

DEFAULT_EXPIRY_DAYS = 365
# The service reports errors by field; name the option the user typed instead.
OPTION_FOR_FIELD = {
    "name": "--name",
    "description": "--description",
    "scopes": "--scopes",
    "expires_in_days": "--expires-days",
    "created_by": "--owner",
}


class Command(BaseCommand):
    help = (
        "Create an access token for an owner and print it once on standard output. "
        "Store it at once: it cannot be shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="A name unique among active tokens.")
        parser.add_argument("--description", default="", help="What the token is for.")
        parser.add_argument(
            "--scopes",
            required=True,
            help=f"Comma-separated scopes: {', '.join(Scope.values)}.",
        )
        expiry = parser.add_mutually_exclusive_group()
        expiry.add_argument(
            "--expires-days",
            type=int,
            default=DEFAULT_EXPIRY_DAYS,
            help=f"Days until the token expires (default {DEFAULT_EXPIRY_DAYS}).",
        )
        expiry.add_argument("--never-expires", action="store_true", help="The token never expires.")
        parser.add_argument(
            "--owner",
            required=True,
            help="User name of the owner the token belongs to (it stops working without them).",
        )

    def handle(self, *args, **options):
        owner, scopes = owner_and_scopes(options)
        try:
            created = access_token_create(
                name=options["name"],
                description=options["description"],
                scopes=scopes,
                expires_in_days=None if options["never_expires"] else options["expires_days"],
                created_by=owner,
            )
        except ValidationError as error:
            raise command_error(error, OPTION_FOR_FIELD) from None
        token = created.token
        expiry = token.expires_at.date().isoformat() if token.expires_at else "never"
        self.stderr.write(
            f"Created access token {token.name!r} ({token.masked}), expires {expiry}. "
            "It is printed once below; store it now."
        )
        self.stdout.write(created.plaintext)
