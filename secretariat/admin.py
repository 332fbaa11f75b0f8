"""The secretariat's workbench in the admin: a forum's timetable and conflicts (README, "The
secretariat's workbench"). Forum is registered a third time here (forum, then events for the
next edition): the workbench reads events and delegates, which forum must not import."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from delegates.models import Delegate
from events.admin import ForumWithNextEditionAdmin
from events.models import Event
from forum.models import Forum
from secretariat.conflicts import conflict_count, forum_conflicts
from secretariat.forms import ConflictsFilterForm, TimetableFilterForm
from secretariat.programme import Programme
from secretariat.timetable import forum_timetable


class WorkbenchForumAdmin(ForumWithNextEditionAdmin):
    list_display = [*ForumWithNextEditionAdmin.list_display, "workbench_links"]
    readonly_fields = ["workbench"]

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
        programme = Programme(forum)
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


admin.site.unregister(Forum)
admin.site.register(Forum, WorkbenchForumAdmin)
