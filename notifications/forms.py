"""The notification settings form: one choice per kind the person may receive."""

from django import forms

from notifications.kinds import Delivery


class NotificationSettingsForm(forms.Form):
    def __init__(self, *args, preferences, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, delivery in preferences:
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=Delivery.choices,
                initial=delivery.value,
                widget=forms.RadioSelect,
            )
