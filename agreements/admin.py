from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from agreements.models import Agreement, Party
from agreements.resources import AgreementResource
from sheets.admin import SheetImportExportMixin


class AgreementForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The parties arrive in the inline below, not yet saved; PartyFormSet counts them.
        self.instance.parties_checked_elsewhere = True


class PartyFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]
        message = self.instance.parties_error(len(kept))
        if message:
            raise ValidationError(message)


class PartyInline(TranslationStackedInline):
    model = Party
    formset = PartyFormSet
    extra = 0
    autocomplete_fields = ["region"]
    fields = ["order", "kind", "name", "country", "region", "signatory", "signatory_position"]


@admin.register(Agreement)
class AgreementAdmin(SheetImportExportMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    # The register follows the list's filters (forum, status, …) when exported.
    import_resource_classes = [AgreementResource]
    form = AgreementForm
    list_display = [
        "registry_number",
        "title",
        "kind",
        "status",
        "signed_on",
        "value",
        "currency",
        "forum",
        "is_public",
        "is_sample",
    ]
    list_display_links = ["registry_number", "title"]
    list_select_related = ["forum"]
    list_filter = ["forum", "status", "kind", "currency", "is_public", "is_sample"]
    search_fields = ["registry_number", "title_ru", "title_be", "title_en", "parties__name_ru"]
    date_hierarchy = "signed_on"
    autocomplete_fields = ["forum", "event"]
    inlines = [PartyInline]
    fields = [
        "forum",
        "registry_number",
        "kind",
        "title",
        "subject",
        "status",
        "signed_on",
        "event",
        "value",
        "currency",
        "is_public",
        "is_sample",
    ]


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["name", "kind", "country", "region", "agreement"]
    list_select_related = ["region", "agreement"]
    list_filter = ["kind", "country"]
    search_fields = ["name_ru", "name_be", "name_en", "agreement__registry_number"]
    autocomplete_fields = ["agreement", "region"]
