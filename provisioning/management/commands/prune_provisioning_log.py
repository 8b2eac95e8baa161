"""Delete provisioning events older than PROVISIONING_LOG_RETENTION_DAYS."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from provisioning.services import provisioning_event_prune


class Command(BaseCommand):
    help = "Delete provisioning log events older than the retention, in batches."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Keep this many days (default: {settings.PROVISIONING_LOG_RETENTION_DAYS}).",
        )
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, **options):
        if options["days"] is not None and options["days"] < 0:
            raise CommandError("--days must be zero or more.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        deleted = provisioning_event_prune(
            older_than_days=options["days"], batch_size=options["batch_size"]
        )
        self.stdout.write(f"Deleted {deleted} provisioning events.")
