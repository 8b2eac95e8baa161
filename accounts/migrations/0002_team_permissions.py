"""Let HR admins and owners see teams."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="teams", codename="view_team")
    for group in Group.objects.filter(name__in=["HR admin", "Owner"]):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["HR admin", "Owner"]):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="teams"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_roles"),
        ("teams", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
