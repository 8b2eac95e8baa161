from django.db import migrations, models


def mark_manager_tasks(apps, schema_editor):
    # Tasks already given to a manager follow the manager from now on; the ones that fell
    # back to HR before this change cannot be told apart from HR's own and stay with HR.
    apps.get_model("checklists", "ChecklistTask").objects.filter(
        assignee_role="manager"
    ).update(for_manager=True)


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0004_task_open_by_checklist"),
    ]

    operations = [
        migrations.AddField(
            model_name="checklisttask",
            name="for_manager",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_manager_tasks, migrations.RunPython.noop),
    ]
