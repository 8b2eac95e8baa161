"""The create_custom_field management command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from custom_fields.models import CustomField

pytestmark = pytest.mark.django_db


def test_creates_a_choice_field_and_prints_the_entra_attribute():
    out = StringIO()
    call_command(
        "create_custom_field",
        "badgeColor",
        "--type",
        "choice",
        "--choices",
        "Red, Blue",
        stdout=out,
    )
    field = CustomField.objects.get()
    assert (field.name, field.label, field.field_type, field.choices, field.visibility) == (
        "badgeColor",
        "Badge color",
        "choice",
        ["Red", "Blue"],
        "hr",
    )
    assert "urn:ietf:params:scim:schemas:extension:alexis:2.0:User:badgeColor" in out.getvalue()


def test_options_set_label_required_and_visibility():
    call_command(
        "create_custom_field",
        "hireYear",
        "--type=number",
        "--label=Year hired",
        "--required",
        "--visibility=everyone",
        stdout=StringIO(),
    )
    field = CustomField.objects.get()
    assert (field.label, field.required, field.visibility) == ("Year hired", True, "everyone")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bad name", "--type=text"], "NAME: Use letters and digits only"),
        (["size", "--type=choice"], "--choices: Give at least one choice."),
        (["size", "--type=text", "--choices=a,b"], "--choices: only a field of --type choice"),
    ],
)
def test_errors_name_the_argument(args, message):
    with pytest.raises(CommandError) as caught:
        call_command("create_custom_field", *args, stdout=StringIO())
    assert message in str(caught.value)
    assert not CustomField.objects.exists()


def test_an_unknown_type_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("create_custom_field", "size", "--type=colour", stdout=StringIO())
