
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('employees', '0002_search_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='employee',
            index=models.Index(condition=models.Q(('deleted_at__isnull', True)), fields=['family_name', 'given_name', 'id'], name='employee_live_by_name'),
        ),
        migrations.AddIndex(
            model_name='employee',
            index=models.Index(condition=models.Q(('deleted_at__isnull', True)), fields=['title', 'family_name', 'given_name', 'id'], name='employee_live_by_title'),
        ),
        migrations.AddIndex(
            model_name='employee',
            index=models.Index(condition=models.Q(('deleted_at__isnull', True)), fields=['department', 'family_name', 'given_name', 'id'], name='employee_live_by_department'),
        ),
        migrations.AddIndex(
            model_name='employee',
            index=models.Index(condition=models.Q(('deleted_at__isnull', True)), fields=['start_date', 'family_name', 'given_name', 'id'], name='employee_live_by_start_date'),
        ),
        migrations.AddIndex(
            model_name='employee',
            index=models.Index(condition=models.Q(('deleted_at__isnull', True)), fields=['active'], name='employee_live_active'),
        ),
        migrations.AddIndex(
            model_name='employee',
            index=models.Index(condition=models.Q(('deleted_at__isnull', True), ('end_date__isnull', False)), fields=['end_date'], name='employee_live_by_end_date'),
        ),
    ]
