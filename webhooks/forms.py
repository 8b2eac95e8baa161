"""The endpoint form of Settings > Webhooks."""

from django import forms

from webhooks.events import EVENT_TYPES


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label="Endpoint URL",
        max_length=2000,
        assume_scheme="https",
        help_text="An https:// address of the system that receives the events.",
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/webhooks/alexis"}),
    )
    description = forms.CharField(
        label="Description", max_length=200, required=False, help_text="What this endpoint is for."
    )
    events = forms.MultipleChoiceField(
        label="Events",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [
            (event.name, f"{event.label} ({event.name})") for event in EVENT_TYPES.values()
        ]
