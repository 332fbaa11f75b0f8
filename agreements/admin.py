from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from agreements.models import Agreement, Party
from agreements.resources import AgreementResource
from agreements.services import agreement_check_parties, parties_removal_refusals
from forum.admin_inlines import RowChoicesInline
from sheets.admin import SheetImportExportMixin


class PartyFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]
        try:
            agreement_check_parties(agreement=self.instance, parties=len(kept))
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class PartyInline(RowChoicesInline, TranslationStackedInline):
    model = Party
    formset = PartyFormSet
    extra = 0
    autocomplete_fields = ["region"]
    fields = ["order", "kind", "name", "country", "region", "signatory", "signatory_position"]


@admin.register(Agreement)
class AgreementAdmin(SheetImportExportMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    # The register follows the list's filters (forum, status, …) when exported.
    import_resource_classes = [AgreementResource]
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


def _delete_parties(modeladmin, request, queryset):
    refusals = parties_removal_refusals(parties=queryset)
    if not refusals:
        return delete_selected(modeladmin, request, queryset)
    for refusal in refusals:
        modeladmin.message_user(request, refusal, messages.ERROR)
    return None


class PartyForm(forms.ModelForm):
    def clean_agreement(self):
        agreement = self.cleaned_data["agreement"]
        if self.instance.pk and agreement.pk != self.instance.agreement_id:
            refusals = parties_removal_refusals(parties=[self.instance])
            if refusals:
                raise ValidationError(refusals)
        return agreement


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    form = PartyForm
    list_display = ["name", "kind", "country", "region", "agreement"]
    list_select_related = ["region", "agreement"]
    list_filter = ["kind", "country"]
    search_fields = ["name_ru", "name_be", "name_en", "agreement__registry_number"]
    autocomplete_fields = ["agreement", "region"]

    def get_actions(self, request):
        # Django's delete_selected, with the agreements checked first.
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _function, name, description = actions["delete_selected"]
            actions[name] = (_delete_parties, name, description)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        party = self.get_object(request, object_id)
        if party is not None and self.has_delete_permission(request, party):
            refusals = parties_removal_refusals(parties=[party])
            for refusal in refusals:
                self.message_user(request, refusal, messages.ERROR)
            if refusals:
                url = reverse("admin:agreements_party_change", args=[party.pk])
                return HttpResponseRedirect(url)
        return super().delete_view(request, object_id, extra_context)
