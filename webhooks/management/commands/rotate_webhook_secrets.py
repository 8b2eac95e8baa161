"""Re-encrypt every webhook signing secret under the newest key of WEBHOOKS_SECRET_KEYS."""

from django.core.management.base import BaseCommand

from webhooks.services import reencrypt_all_secrets


class Command(BaseCommand):
    help = (
        "Re-encrypt webhook signing secrets under the first key of ALEXIS_WEBHOOKS_SECRET_KEYS. "
        "Run after putting a new key first; then the old key can be removed."
    )

    def handle(self, *args, **options):
        count = reencrypt_all_secrets()
        self.stdout.write(f"Re-encrypted {count} signing secret(s).")
