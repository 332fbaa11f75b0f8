from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from delegates.models import Assignment, Delegate, Participation, Role
from delegates.resources import AssignmentResource, DelegateResource, SignInSheetResource
from delegates.services import (
    delegate_calendar_secret_reset,
    delegate_link_revoke,
    delegate_links_send,
    delegates_assign,
)
from events.admin import EventAdmin
from events.models import Event
from forum.admin_inlines import RowChoicesInline
from sheets.admin import SheetImportExportMixin


class EventAssignmentFormSet(BaseInlineFormSet):
    @cached_property
    def row_choices(self) -> dict:
        """The choices of a saved row (its template writes them out): the roles, the ways to
        take part and the event's venues, read once for all rows."""
        venues = list(self.instance.venues.all()) if self.instance.pk else []
        return {
            # Labels translated once here, not once per row.
            "role": [(value, str(label)) for value, label in Role.choices],
            "participation": [(value, str(label)) for value, label in Participation.choices],
            "venue": [(venue.pk, str(venue)) for venue in venues],
            "venue_ids": [venue.pk for venue in venues],
        }


class AssignmentInline(RowChoicesInline, admin.TabularInline):
    """An event's assignments: 125 of them open in a fraction of a second (the template)."""

    model = Assignment
    formset = EventAssignmentFormSet
    template = "admin/delegates/event_assignments_inline.html"
    extra = 0
    fields = ["delegate", "role", "participation", "venue", "order"]
    autocomplete_fields = ["delegate", "venue"]


class DelegateAssignmentInline(RowChoicesInline, admin.TabularInline):
    """A delegate's places, under the delegate."""

    model = Assignment
    extra = 0
    fields = ["event", "role", "participation", "venue", "order"]
    autocomplete_fields = ["event", "venue"]


@admin.register(Delegate)
class DelegateAdmin(SheetImportExportMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    import_resource_classes = [DelegateResource]
    # Sign-in sheets follow the list's filters: by region, or by event (assignments).
    export_resource_classes = [DelegateResource, SignInSheetResource]
    inlines = [DelegateAssignmentInline]
    actions = [
        "assign_to_event",
        "send_personal_links",
        "revoke_personal_links",
        "replace_calendar_addresses",
    ]
    list_display = ["full_name", "country", "region", "category", "organisation", "is_sample"]
    list_select_related = ["region"]
    list_filter = [
        "country",
        "category",
        "is_sample",
        "region",
        "assignments__event__forum",
        "assignments__event",
    ]
    # Any part of the name in any language: "Иванов Пётр" finds each word in one of them.
    search_fields = [
        *(
            f"{name}_{language}"
            for name in ("last_name", "first_name", "middle_name")
            for language in settings.MODELTRANSLATION_LANGUAGES
        ),
        "organisation_ru",
        "email",
        "external_id",
    ]
    autocomplete_fields = ["region"]
    fields = [
        "last_name",
        "first_name",
        "middle_name",
        "country",
        "region",
        "category",
        "position",
        "organisation",
        "email",
        "phone",
        "language",
        "external_id",
        "is_sample",
        "user",
        "access_link_issued_at",
    ]
    # The login is made when the delegate first signs in; editors need not see users.
    readonly_fields = ["user", "access_link_issued_at"]

    @admin.action(description=_("Send the personal link by e-mail"), permissions=["change"])
    def send_personal_links(self, request, queryset):
        report = delegate_links_send(delegates=queryset, request=request)
        if report.sent:
            self.message_user(
                request,
                ngettext(
                    "Sent %(count)d personal link; earlier links of that delegate stop working.",
                    "Sent %(count)d personal links; earlier links of those delegates stop working.",
                    len(report.sent),
                )
                % {"count": len(report.sent)},
                messages.SUCCESS,
            )
        for delegate, reason in report.failed:
            self.message_user(
                request,
                _("Not sent to %(delegate)s: %(reason)s.")
                % {"delegate": delegate, "reason": reason},
                messages.ERROR,
            )

    @admin.action(description=_("Revoke the personal links"), permissions=["change"])
    def revoke_personal_links(self, request, queryset):
        for delegate in queryset:
            delegate_link_revoke(delegate=delegate)
        self.message_user(
            request,
            ngettext(
                "Revoked the personal link of %(count)d delegate.",
                "Revoked the personal links of %(count)d delegates.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Replace the calendar feed addresses"), permissions=["change"])
    def replace_calendar_addresses(self, request, queryset):
        for delegate in queryset:
            delegate_calendar_secret_reset(delegate=delegate)
        self.message_user(
            request,
            ngettext(
                "Replaced the calendar address of %(count)d delegate.",
                "Replaced the calendar addresses of %(count)d delegates.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Assign the selected delegates to an event"), permissions=["change"]
    )
    def assign_to_event(self, request, queryset):
        if "apply" in request.POST:
            form = AssignForm(request.POST)
            if form.is_valid():
                made, refused = delegates_assign(
                    delegates=queryset,
                    event=form.cleaned_data["event"],
                    role=form.cleaned_data["role"],
                    participation=form.cleaned_data["participation"],
                )
                if made:
                    self.message_user(
                        request,
                        ngettext(
                            "Assigned %(count)d delegate to “%(event)s”.",
                            "Assigned %(count)d delegates to “%(event)s”.",
                            len(made),
                        )
                        % {"count": len(made), "event": form.cleaned_data["event"]},
                        messages.SUCCESS,
                    )
                for delegate, reason in refused:
                    self.message_user(
                        request,
                        _("Not assigned: %(delegate)s: %(reason)s.")
                        % {"delegate": delegate, "reason": reason},
                        messages.WARNING,
                    )
                return None
        else:
            form = AssignForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Assign delegates to an event"),
            "opts": self.model._meta,
            "form": form,
            "delegates": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "assign_to_event",
        }
        return TemplateResponse(request, "admin/delegates/assign.html", context)


class AssignForm(forms.Form):
    # The forum prints in each label: select it along.
    event = forms.ModelChoiceField(
        label=_("event"), queryset=Event.objects.select_related("forum").order_by("-forum__year")
    )
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    participation = forms.ChoiceField(
        label=_("takes part"), choices=Participation.choices, initial=Participation.IN_PERSON
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].label_from_instance = lambda e: f"{e.forum.year}: {e}"


@admin.register(Assignment)
class AssignmentAdmin(SheetImportExportMixin, SimpleHistoryAdmin):
    import_resource_classes = [AssignmentResource]
    list_display = ["delegate", "event", "role", "participation", "venue"]
    # delegate, event and venue all print in each row.
    list_select_related = ["delegate", "event", "venue"]
    list_filter = ["role", "participation", "event__forum"]
    search_fields = [
        *(f"delegate__last_name_{language}" for language in settings.MODELTRANSLATION_LANGUAGES),
        *(f"event__title_{language}" for language in settings.MODELTRANSLATION_LANGUAGES),
    ]
    autocomplete_fields = ["delegate", "event", "venue"]


# Assignments are entered under their event; the inline lives here so that events
# never import delegates (dependencies point one way: events <- delegates).
class EventWithAssignmentsAdmin(EventAdmin):
    inlines = [*EventAdmin.inlines, AssignmentInline]


admin.site.unregister(Event)
admin.site.register(Event, EventWithAssignmentsAdmin)
