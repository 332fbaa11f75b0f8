from django import forms
from django.contrib import admin
from django.db import models
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from documents.downloads import document_response
from documents.models import Document, DocumentFile


class DocumentFileInline(admin.TabularInline):
    model = DocumentFile
    extra = 1
    max_num = 3
    fields = ["language", "file", "stored"]
    readonly_fields = ["stored"]
    # No "currently: <link>": the stored name is not an address anyone may open; the download
    # link beside it goes through the admin's permission check.
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}

    @admin.display(description=_("stored file"))
    def stored(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:documents_document_file", args=[obj.document_id, obj.language])
        return format_html(
            '<a href="{}">{}</a> ({}, {})',
            url,
            _("download"),
            obj.get_format_display(),
            filesizeformat(obj.size),
        )


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    inlines = [DocumentFileInline]
    list_display = ["title", "kind", "date", "access", "forum", "event", "languages"]
    list_select_related = ["forum", "event"]
    list_filter = ["forum", "kind", "access", "is_sample"]
    search_fields = ["title_ru", "title_be", "title_en"]
    date_hierarchy = "date"
    autocomplete_fields = ["forum", "event"]
    fields = ["forum", "event", "kind", "title", "date", "access", "is_sample"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("files")

    @admin.display(description=_("files"))
    def languages(self, obj):
        return ", ".join(file.language for file in obj.files.all()) or "—"

    def get_urls(self):
        download = self.admin_site.admin_view(never_cache(self.download_file))
        return [
            path(
                "<int:pk>/files/<str:language>/",
                download,
                name="documents_document_file",
            ),
            *super().get_urls(),
        ]

    def download_file(self, request, pk, language):
        document_file = (
            DocumentFile.objects.select_related("document").filter(
                document_id=pk, language=language
            )
        ).first()
        if document_file is None or not self.has_view_permission(request, document_file.document):
            raise Http404
        return document_response(document_file)
