"""Create the Owner and HR admin groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HR_ADMIN_PERMISSIONS = [
    "employees.view_employee",
    "employees.add_employee",
    "employees.change_employee",
    "employees.delete_employee",
    "employees.view_employee_history",
    "employees.view_employeechange",
]
OWNER_PERMISSIONS = [
    *HR_ADMIN_PERMISSIONS,
    "access_tokens.view_accesstoken",
    "access_tokens.add_accesstoken",
    "access_tokens.change_accesstoken",
    "access_tokens.view_accesstokenevent",
]


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("HR admin", HR_ADMIN_PERMISSIONS), ("Owner", OWNER_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["HR admin", "Owner"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("employees", "0001_initial"),
        ("access_tokens", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
