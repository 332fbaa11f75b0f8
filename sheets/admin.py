"""The admin side of spreadsheet imports and exports (django-import-export), shared by every app.

Upload -> read within the limits -> a dry run in one rolled-back transaction -> a preview naming
every bad row and column, or saying what each row changes; only a clean preview keeps the file
(in the database, sheets.Upload, where every app server finds it) and offers "Confirm import".
The confirmation imports again in one transaction, rolled back if any row fails, so a file lands
whole or not at all, and once: the upload is removed with the import it made.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm, ImportForm
from import_export.results import RowResult

from sheets.errors import ImportFileError
from sheets.formats import EXPORT_FORMATS, FORMATS
from sheets.models import ImportRecord, Upload
from sheets.resources import SheetResource
from sheets.services import upload_claim, upload_create
from sheets.signals import sheet_imported
from sheets.templates import template_workbook

# As many as the resources keep values of (SheetResource.preview_rows).
PREVIEW_ROWS = 200


class SheetImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                gettext_lazy(
                    "The file is %(size)s; files up to %(limit)s (the limit set by "
                    "DJANGO_IMPORT_MAX_BYTES) can be imported. Split it."
                )
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.IMPORT_MAX_BYTES),
                }
            )
        return upload


class SheetExportForm(ExportForm):
    """The export's columns under their names (as the README lists them) or under their labels
    in the admin's language; the import reads both."""

    headers = forms.ChoiceField(
        label=gettext_lazy("Column headers"),
        choices=[
            ("names", gettext_lazy("column names (as the manual lists them)")),
            ("labels", gettext_lazy("labels in my language")),
        ],
        initial="names",
        required=False,
    )


class SheetConfirmForm(forms.Form):
    """Names the kept upload by its random key; the file's name and format are the upload's,
    so nothing in this form can point at another file."""

    upload = forms.CharField(widget=forms.HiddenInput(), max_length=64)
    resource = forms.CharField(widget=forms.HiddenInput(), required=False)


def sheet_errors(result, resource, dataset) -> list[dict]:
    """Every problem of a result as {row, column, message}; `row` is the row number the
    spreadsheet shows, `column` the column's header as the file writes it."""
    columns = {f.attribute: f.column_name for f in resource.get_import_fields() if f.attribute}
    names = set(resource.column_names()) | set(resource.combined_columns)

    def column_of(key):
        if key == NON_FIELD_ERRORS:
            return ""
        if key in names:
            column = key
        elif key in columns:
            column = columns[key]
        elif f"{key}_ru" in names:
            column = f"{key}_ru"
        else:
            column = getattr(resource, "error_columns", {}).get(key, key)
        return resource.spelled(column)

    def row_of(number):
        return dataset.sheet_row(number) if hasattr(dataset, "sheet_row") else number

    problems = []
    for error in result.base_errors:
        problems.append({"row": None, "column": "", "message": _describe(error.error)})
    for number, errors in result.row_errors():
        for error in errors:
            message = _describe(error.error)
            problems.append(
                {"row": row_of(error.number or number), "column": "", "message": message}
            )
    for invalid in result.invalid_rows:
        for key, messages_ in invalid.error_dict.items():
            for message in messages_:
                problems.append(
                    {"row": row_of(invalid.number), "column": column_of(key), "message": message}
                )
    problems.sort(key=lambda p: (p["row"] or 0, p["column"]))
    return problems


def _describe(error) -> str:
    if isinstance(error, ImportFileError):
        return str(error)
    return _("The database refused the data: %(error)s") % {"error": error}


class SheetImportExportMixin(ImportExportMixin):
    """ImportExportMixin with our formats, limits, kept uploads, report and one record each."""

    import_template_name = "admin/sheets/import.html"
    import_form_class = SheetImportForm
    confirm_form_class = SheetConfirmForm
    # Export columns are the import columns; no column picking, so the two stay equal.
    export_form_class = SheetExportForm
    import_resource_classes: list = []
    export_resource_classes: list = []

    @property
    def import_formats(self):
        return FORMATS

    @property
    def export_formats(self):
        return EXPORT_FORMATS

    def get_import_resource_classes(self, request):
        return self.import_resource_classes

    def get_export_resource_classes(self, request):
        return self.export_resource_classes or self.import_resource_classes

    def get_data_for_export(self, request, queryset, **kwargs):
        dataset = super().get_data_for_export(request, queryset, **kwargs)
        form = kwargs.get("export_form")
        if form is not None and form.cleaned_data.get("headers") == "labels":
            resource = self.choose_export_resource_class(form, request)()
            if isinstance(resource, SheetResource):
                dataset.headers = [resource.header_label(name) for name in dataset.headers]
        return dataset

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "import/template/",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0]()
        return template_workbook(resource, self.model)

    # The preview.

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_import_form(request)
        context = {}
        if request.method == "POST" and form.is_valid():
            context = self._preview(request, form)
        context.update(self.admin_site.each_context(request))
        context.update(
            {
                "title": _("Import"),
                "form": form,
                "opts": self.model._meta,
                "media": self.media + form.media,
                "import_max_bytes": settings.IMPORT_MAX_BYTES,
                "import_max_rows": settings.IMPORT_MAX_ROWS,
                "template_url": reverse(
                    "admin:{}_{}_import_template".format(*self.get_model_info()),
                    current_app=self.admin_site.name,
                ),
                "fields_list": [
                    (
                        resource.get_display_name(),
                        [f.column_name for f in resource.get_user_visible_fields()],
                    )
                    for resource in (
                        cls(**self.get_import_resource_kwargs(request, form=form))
                        for cls in self.get_import_resource_classes(request)
                    )
                ],
                "import_error_display": self.import_error_display,
            }
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def _preview(self, request, form) -> dict:
        input_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
        upload = form.cleaned_data["import_file"]
        data = upload.read()
        resource = self.choose_import_resource_class(form, request)(
            **self.get_import_resource_kwargs(request, form=form)
        )
        try:
            dataset = resource.dataset(input_format.read(data))
        except ImportFileError as error:
            form.add_error("import_file", str(error))
            return {}
        result = resource.import_data(
            dataset, dry_run=True, raise_errors=False, file_name=upload.name, user=request.user
        )
        context = self._report(result, resource, dataset)
        if not context["sheet_errors"]:
            kept = upload_create(
                user=request.user,
                model=self.model,
                file_name=upload.name,
                file_format=input_format.get_title(),
                data=data,
            )
            context["confirm_form"] = SheetConfirmForm(
                initial={"upload": kept.key, "resource": form.cleaned_data.get("resource", "")}
            )
        return context

    def _report(self, result, resource, dataset) -> dict:
        return {
            "result": result,
            "sheet_errors": sheet_errors(result, resource, dataset),
            "preview_rows": _preview_rows(result, resource),
            "preview_limit": PREVIEW_ROWS,
            "totals": {
                "new": result.totals[RowResult.IMPORT_TYPE_NEW],
                "update": result.totals[RowResult.IMPORT_TYPE_UPDATE],
                "skip": result.totals[RowResult.IMPORT_TYPE_SKIP],
                "rows": result.total_rows,
            },
            "sheet": {
                "name": getattr(dataset, "sheet_name", ""),
                "header_row": getattr(dataset, "header_row", 1),
                "hidden_rows": _ranges(getattr(dataset, "hidden_rows", [])),
            },
        }

    # The confirmation.

    def process_import(self, request, **kwargs):
        return require_POST(self._confirm)(request, **kwargs)

    def _confirm(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = SheetConfirmForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The import form was incomplete; upload the file again."))
            return HttpResponseRedirect(self._import_url())
        key = form.cleaned_data["upload"]
        resource = self.choose_import_resource_class(form, request)(
            **self.get_import_resource_kwargs(request, form=form)
        )
        with transaction.atomic():
            upload = upload_claim(key=key, user=request.user, model=self.model)
            if upload is None:
                return self._upload_gone(request, key)
            try:
                input_format = self._format_titled(upload.file_format)
                dataset = resource.dataset(input_format.read(bytes(upload.data)))
            except ImportFileError as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(self._import_url())
            result = resource.import_data(
                dataset,
                dry_run=False,
                raise_errors=False,
                use_transactions=True,
                # Any invalid row rolls the whole file back.
                rollback_on_validation_errors=True,
                file_name=upload.file_name,
                user=request.user,
            )
            if result.has_errors() or result.has_validation_errors():
                return self._failed_import_page(request, result, resource, dataset)
            record = self._record_import(request, upload, result)
            upload.delete()
        sheet_imported.send(sender=self.model, record=record)
        return self.process_result(result, request)

    def _format_titled(self, title):
        return next(f for f in self.get_import_formats() if f().get_title() == title)()

    def _upload_gone(self, request, key):
        record = ImportRecord.objects.filter(
            upload_key=key, content_type=ContentType.objects.get_for_model(self.model)
        ).first()
        if record is None:
            messages.error(
                request,
                _(
                    "The uploaded file is no longer there (a previewed file waits %(hours)s "
                    "hours for its confirmation); upload it again, please."
                )
                % {"hours": settings.IMPORT_UPLOAD_HOURS},
            )
            return HttpResponseRedirect(self._import_url())
        messages.info(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("This file was already imported; it is not imported twice."),
                reverse("admin:sheets_importrecord_change", args=[record.pk]),
                str(record),
            ),
        )
        return HttpResponseRedirect(
            reverse("admin:{}_{}_changelist".format(*self.get_model_info()))
        )

    def _failed_import_page(self, request, result, resource, dataset):
        # Something changed since the preview; nothing was written. Show why.
        context = self.admin_site.each_context(request)
        context.update(
            {
                "title": _("Import"),
                "opts": self.model._meta,
                "import_url": self._import_url(),
                **self._report(result, resource, dataset),
            }
        )
        return TemplateResponse(request, [self.import_template_name], context)

    def _record_import(self, request, upload: Upload, result) -> ImportRecord:
        return ImportRecord.objects.create(
            user=request.user,
            content_type=ContentType.objects.get_for_model(self.model),
            file_name=upload.file_name[:255],
            file_format=upload.file_format,
            rows=result.total_rows,
            created=result.totals[RowResult.IMPORT_TYPE_NEW],
            updated=result.totals[RowResult.IMPORT_TYPE_UPDATE],
            skipped=result.totals[RowResult.IMPORT_TYPE_SKIP],
            upload_key=upload.key,
        )

    def add_success_message(self, result, request):
        messages.success(
            request,
            _("Imported %(rows)s rows: %(new)s new, %(updated)s updated, %(skipped)s unchanged.")
            % {
                "rows": result.total_rows,
                "new": result.totals[RowResult.IMPORT_TYPE_NEW],
                "updated": result.totals[RowResult.IMPORT_TYPE_UPDATE],
                "skipped": result.totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )

    def _import_url(self):
        return reverse(
            "admin:{}_{}_import".format(*self.get_model_info()), current_app=self.admin_site.name
        )


def _ranges(numbers) -> str:
    """[3, 4, 5, 9] -> '3–5, 9'."""
    parts, start, previous = [], None, None
    for number in sorted(numbers):
        if start is None:
            start = previous = number
        elif number == previous + 1:
            previous = number
        else:
            parts.append(f"{start}–{previous}" if previous > start else str(start))
            start = previous = number
    if start is not None:
        parts.append(f"{start}–{previous}" if previous > start else str(start))
    return ", ".join(parts)


def _preview_rows(result, resource) -> dict:
    """The first rows: a new row's values by column, a changed row's changes."""
    headers = [c for c in resource.column_names() if c in resource.fields]
    labels = {
        RowResult.IMPORT_TYPE_NEW: pgettext("a row of an import", "new"),
        RowResult.IMPORT_TYPE_UPDATE: pgettext("a row of an import", "changed"),
    }
    rows = []
    for row_result in result.rows[:PREVIEW_ROWS]:
        if row_result.import_type not in labels:
            continue
        values = row_result.row_values or {}
        rows.append(
            {
                "type": row_result.import_type,
                "label": labels[row_result.import_type],
                "row": getattr(row_result, "sheet_row", ""),
                "changes": getattr(row_result, "changes", []),
                "values": [
                    (resource.spelled(h), values[h])
                    for h in headers
                    if values.get(h) not in (None, "")
                ],
            }
        )
    return {"rows": rows}


class RecordAdmin(admin.ModelAdmin):
    """The admin of a record the app writes (an import, a notice): read, never added, changed
    or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportRecord)
class ImportRecordAdmin(RecordAdmin):
    """Each spreadsheet import, once: who, when, which file, how many rows. Read only."""

    list_display = [
        "created_at",
        "content_type",
        "file_name",
        "rows",
        "created",
        "updated",
        "skipped",
        "user",
    ]
    list_select_related = ["content_type", "user"]
    list_filter = ["content_type"]
    search_fields = ["file_name", "user__username"]
    date_hierarchy = "created_at"
