"""Turn the free-text department, organization and location values into managed records.

Values are grouped after trimming, case-insensitively; each group becomes one record named by
its most common spelling, and every employee with a value points at its record. The text
columns are left as they were, so nothing is lost; other spellings (case, surrounding spaces)
still resolve to the record, as every name lookup trims and ignores case.
"""

from collections import Counter, defaultdict

from django.db import migrations
from django.db.models.functions import Lower, Trim

# (text field on Employee, foreign key on Employee, record model)
KINDS = (
    ("department", "department_record", "Department"),
    ("organization", "legal_entity", "LegalEntity"),
    ("location", "location_record", "Location"),
)


def forwards(apps, schema_editor):
    Employee = apps.get_model("employees", "Employee")
    for text_field, fk_field, model_name in KINDS:
        Record = apps.get_model("organisation", model_name)
        spellings: dict[str, Counter] = defaultdict(Counter)
        values = Employee.objects.values_list(text_field, flat=True)
        for value in values.exclude(**{text_field: ""}).iterator():
            if value.strip():
                spellings[value.strip().lower()][value.strip()] += 1
        for key, counter in spellings.items():
            # The most common spelling names the record; ties go to the first alphabetically.
            name = min(counter.items(), key=lambda item: (-item[1], item[0]))[0]
            record = Record.objects.filter(name__iexact=name).first()
            if record is None:
                record = Record.objects.create(name=name)
            Employee.objects.annotate(_key=Lower(Trim(text_field))).filter(_key=key).update(
                **{fk_field: record}
            )


def backwards(apps, schema_editor):
    Employee = apps.get_model("employees", "Employee")
    Employee.objects.update(department_record=None, legal_entity=None, location_record=None)


class Migration(migrations.Migration):
    dependencies = [
        ("employees", "0009_employee_org_records"),
        ("organisation", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
