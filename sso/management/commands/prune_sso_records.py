"""Delete expired used-assertion records and refusals older than SSO_REFUSAL_RETENTION_DAYS."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sso.services import sign_in_refusal_prune, used_assertion_prune


class Command(BaseCommand):
    help = "Delete expired SAML assertion records and old refused single sign-on attempts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Keep refusals this many days (default: {settings.SSO_REFUSAL_RETENTION_DAYS}).",
        )

    def handle(self, *args, **options):
        if options["days"] is not None and options["days"] < 0:
            raise CommandError("--days must be zero or more.")
        assertions = used_assertion_prune()
        refusals = sign_in_refusal_prune(older_than_days=options["days"])
        self.stdout.write(
            f"Deleted {assertions} expired assertion records and {refusals} refusals."
        )
