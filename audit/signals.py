"""Signals the audit trail sends, so that other apps (webhooks, notifications) react to
changes without the audited apps knowing them."""

from django.dispatch import Signal

# Sent inside the writing transaction after history entries were saved.
# sender: the ChangeRecord subclass; records: the saved entries (a list, one or many).
# A receiver that sends anything out must defer it to transaction.on_commit.
change_recorded = Signal()
