"""Index the directory search on PostgreSQL (pg_trgm GIN over the searchable text); no-op elsewhere.

The expression must stay identical to employees.search.SearchDocument on PostgreSQL.
"""

from django.db import migrations

EXPRESSION = (
    "UPPER(given_name || ' ' || family_name || ' ' || display_name || ' ' || user_name"
    " || ' ' || work_email || ' ' || title || ' ' || employee_number)"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS employee_search_trgm ON employees_employee "
        f"USING gin (({EXPRESSION}) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS employee_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("employees", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
