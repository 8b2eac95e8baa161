"""Field validators for the employee record."""

import phonenumbers
from django.core.exceptions import ValidationError

E164_MESSAGE = (
    "Enter the phone number in E.164 format: a plus sign, the country code and the number, "
    "with no spaces, for example +16175551212."
)


def validate_e164(value: str) -> None:
    """Accept only a valid phone number written exactly in E.164 form (+16175551212)."""
    if not value:
        return
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise ValidationError(E164_MESSAGE, code="invalid_phone") from None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if e164 != value or not phonenumbers.is_valid_number(number):
        raise ValidationError(E164_MESSAGE, code="invalid_phone")
