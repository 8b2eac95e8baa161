"""Custom field values on the employee, with a GIN index for filters on PostgreSQL.

The index (jsonb_path_ops) serves containment tests, custom_fields @> '{"name": value}',
for any custom field: owners add fields without a migration. SQLite reads the key instead.
"""

from django.db import migrations, models


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS employee_custom_fields_gin ON employees_employee "
        "USING gin (custom_fields jsonb_path_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS employee_custom_fields_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("employees", "0010_free_text_to_org_records"),
    ]

    operations = [
        migrations.AddField(
            model_name="employee",
            name="custom_fields",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Values of the custom fields owners define, keyed by the field's name.",
            ),
        ),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
