"""Signals sent by custom_fields; the app that stores the values reacts to them."""

from django.dispatch import Signal

# Sent inside the deleting transaction with `field` (the CustomField being deleted), so that
# the values stored on employees go with it.
custom_field_deleted = Signal()

# Sent with `field` to ask how many records hold a value of it; each receiver returns a count
# (the delete confirmation says how many values go).
custom_field_values_counted = Signal()
