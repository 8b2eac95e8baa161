"""Show a service's ValidationError where the person (or script) who caused it will see it.

Services check what forms cannot (uniqueness, a rule across fields, the database's state)
and raise ValidationError keyed by field. A page puts each message beside its field; a
management command names the option instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put each message beside its field; messages for fields the form lacks go on top."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def command_error(error: ValidationError, option_for_field: Mapping[str, str]) -> CommandError:
    """A CommandError naming the command-line option behind each message."""
    return CommandError(
        " ".join(
            f"{option_for_field.get(field, field)}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    )
