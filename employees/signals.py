"""Signals of the employees app that other apps react to."""

from django.dispatch import Signal

# Sent by `manage.py seed_demo` after it built the demo organisation, with `rng` (the demo's
# random.Random). Apps add their own demo data and return a line for the command to print.
demo_seeded = Signal()
