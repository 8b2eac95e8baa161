"""Settings of the bare comparison app: Alexis's settings, database and models, no middleware.

The bare app answers the same SCIM and API requests as Alexis with the fewest statements a
plain Django view needs (bench/bare/views.py), so that a benchmark can print Alexis's cost
as a ratio of it, measured side by side on the same database (bench/scim_versus_bare.py).
"""

from alexis.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.bare.urls"
