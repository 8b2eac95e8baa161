"""Let HR admins and owners see teams, and owners the provisioning log."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "HR admin": [("teams", "view_team")],
    "Owner": [("teams", "view_team"), ("provisioning", "view_provisioningevent")],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GRANTS.items():
        group = Group.objects.get(name=name)
        for app_label, codename in permissions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GRANTS.items():
        group = Group.objects.get(name=name)
        for app_label, codename in permissions:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_roles"),
        ("teams", "0001_initial"),
        ("provisioning", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
