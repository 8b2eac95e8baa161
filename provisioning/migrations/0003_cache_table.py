"""Create the database cache table, so that `migrate` alone prepares a deployment.

Rate-limit counters (failed SCIM authentication, API throttling) and cached filter choices
live in Django's cache: the database cache unless REDIS_URL is set. createcachetable does
nothing for a table that exists or for a cache that is not in the database.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("provisioning", "0002_fewer_indexes")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
