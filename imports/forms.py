"""Forms of the import pages: the upload and the column mapping."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from imports.columns import Column

IGNORE = ""


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet",
        help_text=(
            "A CSV file (UTF-8) or an Excel workbook (.xlsx); the first row holds the headers."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )


class MappingForm(forms.Form):
    """One choice per header of the file: the column it holds, or ignore it."""

    override_entra = forms.BooleanField(
        label="Also change fields Entra ID manages",
        required=False,
        help_text=(
            "For employees provisioned by Entra ID. Without this, their name, email, phone, "
            "department, manager and the other fields Entra sends are left as Entra set them."
        ),
    )

    def __init__(
        self,
        *args,
        headers: Sequence[str],
        columns: Sequence[Column],
        initial_mapping: dict[int, str],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(IGNORE, "Ignore this column"), *((c.key, c.header) for c in columns)]
        self.positions = []
        for position, header in enumerate(headers):
            name = f"column_{position}"
            self.fields[name] = forms.ChoiceField(
                label=header or f"Column {position + 1} (no header)",
                choices=choices,
                required=False,
                initial=initial_mapping.get(position, IGNORE),
            )
            self.positions.append((position, name))

    def mapping(self) -> dict[int, str]:
        return {
            position: self.cleaned_data[name]
            for position, name in self.positions
            if self.cleaned_data.get(name)
        }

    def header_fields(self):
        return [self[name] for _, name in self.positions]
