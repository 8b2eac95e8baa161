"""Delete expired used-assertion records (sign-in also prunes them as it goes)."""

from django.core.management.base import BaseCommand

from sso.services import used_assertion_prune


class Command(BaseCommand):
    help = "Delete records of used SAML assertions that have expired."

    def handle(self, *args, **options):
        deleted = used_assertion_prune()
        self.stdout.write(f"Deleted {deleted} expired assertion record(s).")
