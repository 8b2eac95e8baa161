"""Signals sent by custom_fields; the app that stores the values reacts to them."""

from django.dispatch import Signal

# Sent inside the deleting transaction with `field` (the CustomField being deleted), so that
# the values stored on employees go with it.
custom_field_deleted = Signal()
