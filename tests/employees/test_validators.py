import pytest
from django.core.exceptions import ValidationError

from employees.services import Actor, employee_create
from employees.validators import E164_MESSAGE, validate_e164

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["+16175551212", "+46701234567", "+442071838750", ""])
def test_accepts_e164_numbers(value):
    validate_e164(value)


@pytest.mark.parametrize(
    "value",
    [
        "+1 617 555 1212",  # spaces
        "6175551212",  # no country code
        "(617) 555-1212",
        "+4670123",  # too short to be a Swedish mobile number
        "+1617555121299999",
        "phone",
        "+0000000000",
    ],
)
def test_refuses_anything_else_with_a_message_showing_the_form(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_e164(value)
    assert excinfo.value.messages == [E164_MESSAGE]
    assert "+16175551212" in E164_MESSAGE


def test_service_reports_the_phone_error_on_the_field():
    with pytest.raises(ValidationError) as excinfo:
        employee_create(
            actor=Actor.system(),
            user_name="a@contoso.com",
            given_name="A",
            family_name="B",
            work_email="a@contoso.com",
            work_phone="555-1212",
        )
    assert excinfo.value.message_dict == {"work_phone": [E164_MESSAGE]}
