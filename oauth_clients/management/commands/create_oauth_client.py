"""Create an OAuth client from the command line and print its id and first secret once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from access_tokens.command_options import owner_and_scopes
from access_tokens.models import Scope
from alexis.service_errors import command_error
from oauth_clients.services import SECRET_EXPIRY_DAYS, oauth_client_create

OPTION_FOR_FIELD = {
    "name": "--name",
    "description": "--description",
    "scopes": "--scopes",
    "secret_expires_in_days": "--secret-expires-years",
    "created_by": "--owner",
}


class Command(BaseCommand):
    help = (
        "Create an OAuth client for an owner and print its client_id and client_secret once "
        "on standard output. Store the secret at once: it cannot be shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="A name unique among active clients.")
        parser.add_argument("--description", default="", help="What the client is for.")
        parser.add_argument(
            "--scopes", required=True, help=f"Comma-separated scopes: {', '.join(Scope.values)}."
        )
        parser.add_argument(
            "--secret-expires-years",
            type=int,
            choices=[1, 2, 3],
            default=2,
            help="Years until the first client secret expires (default 2).",
        )
        parser.add_argument(
            "--owner",
            required=True,
            help="User name of the owner the client belongs to (it stops working without them).",
        )

    def handle(self, *args, **options):
        owner, scopes = owner_and_scopes(options)
        try:
            created = oauth_client_create(
                name=options["name"],
                description=options["description"],
                scopes=scopes,
                secret_expires_in_days=SECRET_EXPIRY_DAYS[options["secret_expires_years"] - 1],
                created_by=owner,
            )
        except ValidationError as error:
            raise command_error(error, OPTION_FOR_FIELD) from None
        secret = created.credential
        self.stderr.write(
            f"Created OAuth client {created.client.name!r} ({secret.masked}), secret expires "
            f"{secret.expires_at.date().isoformat()}. The secret is printed once below; store it."
        )
        self.stdout.write(f"client_id: {created.client.client_id}")
        self.stdout.write(f"client_secret: {created.plaintext}")
