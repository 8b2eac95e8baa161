"""The public API's JSON parser: DRF's, plus the shared checks on what a body may contain."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from alexis.request_input import InputError, check_json_text


class JSONParser(parsers.JSONParser):
    """Parse JSON bodies; refuse deep nesting and text no column can store, naming the field.

    A document nested past Python's recursion limit is a 400 parse error, not a 500; a NUL or
    an unpaired surrogate anywhere (a value or a key) is a 400 naming where it is, before any
    serializer reads it or an error message repeats it.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
        try:
            check_json_text(data)
        except InputError as exc:
            raise ValidationError({exc.name: [str(exc)]}) from None
        return data


class MultiPartParser(parsers.MultiPartParser):
    """Parse multipart bodies (a file with its fields); refuse text no column can store, as
    the JSON parser does, naming the field."""

    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        try:
            check_json_text({key: result.data.getlist(key) for key in result.data})
        except InputError as exc:
            raise ValidationError({exc.name.split("[")[0]: [str(exc)]}) from None
        return result
