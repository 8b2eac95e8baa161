"""Let owners see the background task list in the admin and run failed tasks again."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    ("django_tasks_database", "view_dbtaskresult"),
    ("django_tasks_database", "change_dbtaskresult"),
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    owner = Group.objects.get(name="Owner")
    for app_label, codename in PERMISSIONS:
        owner.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    owner = Group.objects.get(name="Owner")
    for app_label, codename in PERMISSIONS:
        owner.permissions.remove(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_teams_and_provisioning_log"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
