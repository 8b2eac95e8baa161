"""Delete used-assertion records that expired, and issued access tokens past the log's retention."""

from django.core.management.base import BaseCommand

from oauth_clients.services import oauth_records_prune


class Command(BaseCommand):
    help = (
        "Delete expired federated assertion ids, and access tokens issued to OAuth clients that "
        "expired more than PROVISIONING_LOG_RETENTION_DAYS ago."
    )

    def handle(self, *args, **options):
        tokens, assertions = oauth_records_prune()
        self.stdout.write(f"Deleted {tokens} expired issued tokens and {assertions} assertion ids.")
