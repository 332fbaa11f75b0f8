from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import EventKind


class TimetableFilterForm(forms.Form):
    """The timetable's filter, from the address: a kind it does not know is said, not obeyed."""

    kind = forms.ChoiceField(
        label=_("kind"), required=False, choices=[("", _("all kinds")), *EventKind.choices]
    )

    def kind_chosen(self) -> str:
        return self.cleaned_data["kind"] if self.is_valid() else ""


class ConflictsFilterForm(forms.Form):
    """The conflicts of one event (the timetable's marks link here), from the address."""

    event = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.events = events

    def clean_event(self):
        event = self.cleaned_data["event"]
        if event is not None and event not in self.events:
            raise forms.ValidationError(_("This forum has no such event; all are shown."))
        return event

    def event_chosen(self):
        if not self.is_valid() or self.cleaned_data["event"] is None:
            return None
        return self.events[self.cleaned_data["event"]]
