from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import AgreementKind, Status
from forum.models import Country


def _with_any(choices, label):
    return [("", label), *choices]


class RegistryFilterForm(forms.Form):
    """The registry's filters, read from the query string (a GET form, no JavaScript needed)."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_with_any(AgreementKind.choices, _("any kind"))
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_with_any(Status.choices, _("any status"))
    )
    country = forms.ChoiceField(
        label=_("Country of a party"),
        required=False,
        choices=_with_any(Country.choices, _("any country")),
    )
    region = forms.ChoiceField(label=_("Region of a party"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _with_any(
            [(region.code, region.name) for region in regions], _("any region")
        )

    def filters(self) -> dict[str, str]:
        """The valid filters; a bad value is dropped (and reported by the form's errors)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) or "" for name in self.fields if name not in self.errors}
