"""The secretariat's workbench in the admin: a forum's timetable and conflicts, and telling
delegates what changed (README, "The secretariat's workbench"). Forum is registered a third time
here (forum, then events for the next edition) and Event a third time (events, then delegates for
the assignments): the workbench reads events and delegates, which forum and events must not
import."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from delegates.admin import EventWithAssignmentsAdmin
from delegates.models import Delegate
from events.admin import ForumWithNextEditionAdmin
from events.models import Event
from forum.models import Forum
from secretariat.conflicts import conflict_count, forum_conflicts
from secretariat.forms import ConflictsFilterForm, TimetableFilterForm
from secretariat.models import Notice
from secretariat.notices import Scope, notice_sample, notices_pending, notices_send
from secretariat.programme import Programme
from secretariat.timetable import forum_timetable
from sheets.admin import RecordAdmin


def notices_action(modeladmin, request, scope: Scope, selected: list):
    """The action "Tell the delegates what changed": a preview (how many, one sample mail per
    language), then, on Send, the mails and a report naming each delegate not reached."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "selected": selected,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action": "tell_delegates",
    }
    pending = notices_pending(scope=scope)
    if "send" in request.POST:
        report = notices_send(pending=pending, scope=scope, request=request, user=request.user)
        return TemplateResponse(
            request,
            "admin/secretariat/notices_report.html",
            {**context, "title": gettext("Notices sent"), "report": report},
        )
    if not pending:
        modeladmin.message_user(
            request,
            gettext("Nobody's programme changed since the last notice they got."),
            messages.INFO,
        )
        return None
    return TemplateResponse(
        request,
        "admin/secretariat/notices_preview.html",
        {
            **context,
            "title": gettext("Tell the delegates what changed"),
            **notices_preview(pending, request),
        },
    )


# The preview lists this many delegates by name and counts the rest.
PREVIEW_NAMES = 50


def notices_preview(pending: list, request) -> dict:
    languages = dict(settings.LANGUAGES)
    samples = []
    for code in languages:
        first = next((item for item in pending if item.delegate.language == code), None)
        if first is not None:
            subject, body = notice_sample(pending=first, request=request)
            count = sum(item.delegate.language == code for item in pending)
            samples.append(
                {
                    "language": languages[code],
                    "code": code,
                    "count": count,
                    "delegate": first.delegate,
                    "subject": subject,
                    "body": body,
                }
            )
    return {
        "pending": pending[:PREVIEW_NAMES],
        "more": max(len(pending) - PREVIEW_NAMES, 0),
        "count": len(pending),
        "first": sum(item.first for item in pending),
        "unreachable": [item.delegate for item in pending if not item.delegate.email],
        "samples": samples,
    }


class WorkbenchForumAdmin(ForumWithNextEditionAdmin):
    list_display = [*ForumWithNextEditionAdmin.list_display, "workbench_links"]
    readonly_fields = ["workbench"]
    actions = [*ForumWithNextEditionAdmin.actions, "tell_delegates"]

    @admin.action(description=_("Tell the delegates what changed"), permissions=["change"])
    def tell_delegates(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("Choose exactly one forum."), messages.WARNING)
            return None
        forum = queryset.get()
        return notices_action(self, request, Scope(forum=forum), [forum])

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [(_("Workbench"), {"fields": ["workbench"]}), *fieldsets]

    def get_urls(self):
        # admin:forum_forum_timetable and admin:forum_forum_conflicts
        return [
            path(
                "<path:object_id>/timetable/",
                self.admin_site.admin_view(self.timetable_view),
                name="forum_forum_timetable",
            ),
            path(
                "<path:object_id>/conflicts/",
                self.admin_site.admin_view(self.conflicts_view),
                name="forum_forum_conflicts",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("workbench"))
    def workbench_links(self, forum):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:forum_forum_timetable", args=[forum.pk]),
            gettext("timetable"),
            reverse("admin:forum_forum_conflicts", args=[forum.pk]),
            gettext("conflicts"),
        )

    @admin.display(description=_("conflicts"))
    def workbench(self, forum):
        count = conflict_count(forum_conflicts(programme=Programme(forum)))
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:forum_forum_conflicts", args=[forum.pk]),
            conflict_summary(count),
            reverse("admin:forum_forum_timetable", args=[forum.pk]),
            gettext("Timetable"),
        )

    def _workbench_forum(self, request, object_id, *, models):
        """The forum of the address, if this user may read it and the ``models`` shown."""
        forum = self.get_object(request, unquote(object_id))
        if forum is None:
            return None
        if not self.has_view_permission(request, forum) or not all(
            request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
            for model in models
        ):
            raise PermissionDenied
        return forum

    def _page(self, request, template, forum, title, **context):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "title": title,
                "subtitle": str(forum),
                "opts": self.opts,
                "original": forum,
                "forum": forum,
                **context,
            },
        )

    def timetable_view(self, request, object_id):
        forum = self._workbench_forum(request, object_id, models=[Event])
        if forum is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        form = TimetableFilterForm(request.GET or None)
        programme = Programme(forum, timetable=True)
        conflicts = forum_conflicts(programme=programme)
        days = forum_timetable(programme=programme, conflicts=conflicts, kind=form.kind_chosen())
        return self._page(
            request,
            "admin/secretariat/timetable.html",
            forum,
            gettext("Timetable"),
            days=days,
            form=form,
            count=conflict_count(conflicts),
        )

    def conflicts_view(self, request, object_id):
        forum = self._workbench_forum(request, object_id, models=[Event, Delegate])
        if forum is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        programme = Programme(forum)
        conflicts = forum_conflicts(programme=programme)
        form = ConflictsFilterForm(request.GET or None, events=programme.events)
        event = form.event_chosen()
        shown = [c for c in conflicts if event is None or event.pk in c.events]
        return self._page(
            request,
            "admin/secretariat/conflicts.html",
            forum,
            gettext("Conflicts"),
            form=form,
            event=event,
            conflicts=[c for c in shown if not c.is_warning],
            warnings=[c for c in shown if c.is_warning],
            count=conflict_count(shown),
        )


def conflict_summary(count) -> str:
    conflicts = ngettext("%(count)d conflict", "%(count)d conflicts", count.conflicts) % {
        "count": count.conflicts
    }
    warnings = ngettext("%(count)d warning", "%(count)d warnings", count.warnings) % {
        "count": count.warnings
    }
    return f"{conflicts}, {warnings}"


class WorkbenchEventAdmin(EventWithAssignmentsAdmin):
    actions = [*EventWithAssignmentsAdmin.actions, "tell_delegates"]

    @admin.action(description=_("Tell the delegates what changed"), permissions=["change"])
    def tell_delegates(self, request, queryset):
        events = list(queryset.order_by("pk"))
        scope = Scope(event_ids=tuple(event.pk for event in events))
        return notices_action(self, request, scope, events)


@admin.register(Notice)
class NoticeAdmin(RecordAdmin):
    """Each notice mailed to a delegate (or not, and why), as it was written. Read only."""

    list_display = ["sent_at", "delegate", "email", "language", "status", "reason", "changes"]
    list_select_related = ["delegate"]
    list_filter = ["status", "language"]
    search_fields = [
        *(f"delegate__last_name_{language}" for language in settings.MODELTRANSLATION_LANGUAGES),
        "email",
    ]
    date_hierarchy = "sent_at"
    fields = [
        "sent_at",
        "sent_by",
        "delegate",
        "email",
        "language",
        "status",
        "reason",
        "changes",
        "subject",
        "body",
    ]
    readonly_fields = fields


admin.site.unregister(Forum)
admin.site.register(Forum, WorkbenchForumAdmin)
admin.site.unregister(Event)
admin.site.register(Event, WorkbenchEventAdmin)
