"""Define a custom field from the command line (scripted set-ups and deployments)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from custom_fields.models import FieldType, Visibility
from custom_fields.services import custom_field_create

# The service reports errors by field; name the argument the user typed instead.
OPTION_FOR_FIELD = {
    "name": "NAME",
    "label": "--label",
    "field_type": "--type",
    "choices": "--choices",
    "visibility": "--visibility",
}


class Command(BaseCommand):
    help = (
        "Define a custom employee field. NAME is the attribute name used by the API and by "
        "Microsoft Entra ID, e.g. badgeColor (letters and digits)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", metavar="NAME", help="Attribute name, e.g. badgeColor.")
        parser.add_argument(
            "--type",
            dest="field_type",
            required=True,
            choices=FieldType.values,
            help="text, number, date, boolean (yes/no) or choice (one of a list).",
        )
        parser.add_argument("--choices", default="", help="For --type choice: a,b,c.")
        parser.add_argument("--label", default="", help="What people read (default: from NAME).")
        parser.add_argument("--required", action="store_true", help="HR must fill it in.")
        parser.add_argument(
            "--visibility",
            choices=Visibility.values,
            default=Visibility.HR,
            help="Who may see and edit it: hr (HR only, the default), employee (HR and the "
            "employee) or everyone.",
        )

    def handle(self, *args, **options):
        field_type = options["field_type"]
        choices = [choice.strip() for choice in options["choices"].split(",") if choice.strip()]
        if choices and field_type != FieldType.CHOICE:
            raise CommandError("--choices: only a field of --type choice has choices.")
        try:
            field = custom_field_create(
                name=options["name"],
                label=options["label"],
                field_type=field_type,
                choices=choices,
                required=options["required"],
                visibility=options["visibility"],
            )
        except ValidationError as error:
            raise CommandError(
                " ".join(
                    f"{OPTION_FOR_FIELD.get(field, field)}: {' '.join(messages)}"
                    for field, messages in error.message_dict.items()
                )
            ) from None
        self.stdout.write(
            f"Created the custom field {field.label!r} ({field.get_field_type_display()}). "
            "Entra ID attribute: "
            f"urn:ietf:params:scim:schemas:extension:alexis:2.0:User:{field.name}"
        )
