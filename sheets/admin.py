"""The admin side of spreadsheet imports and exports (django-import-export), shared by every app.

Upload -> a dry run in one rolled-back transaction -> a preview naming every bad row and column;
only a clean preview offers "Confirm import", and the confirmation imports again in one
transaction that is rolled back if any row fails, so a file lands whole or not at all.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm, ImportForm
from import_export.results import RowResult

from sheets.formats import FORMATS, ImportFileError
from sheets.models import ImportRecord
from sheets.signals import sheet_imported

# As many as the resources keep values of (SheetResource.preview_rows).
PREVIEW_ROWS = 200


class SheetImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; files up to %(limit)s can be imported. Split it.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.IMPORT_MAX_BYTES),
                }
            )
        return upload


def sheet_errors(result, resource) -> list[dict]:
    """Every problem of a result as {row, column, message}; `row` is the sheet's row number
    (the header is row 1), `column` the column's header."""
    columns = {f.attribute: f.column_name for f in resource.get_import_fields() if f.attribute}
    names = set(resource.column_names())

    def column_of(key):
        if key == NON_FIELD_ERRORS:
            return ""
        if key in names:
            return key
        if key in columns:
            return columns[key]
        if f"{key}_ru" in names:
            return f"{key}_ru"
        return getattr(resource, "error_columns", {}).get(key, key)

    problems = []
    for error in result.base_errors:
        problems.append({"row": None, "column": "", "message": _describe(error.error)})
    for number, errors in result.row_errors():
        for error in errors:
            problems.append(
                {
                    "row": (error.number or number) + 1,
                    "column": "",
                    "message": _describe(error.error),
                }
            )
    for invalid in result.invalid_rows:
        for key, messages_ in invalid.error_dict.items():
            for message in messages_:
                problems.append(
                    {"row": invalid.number + 1, "column": column_of(key), "message": message}
                )
    problems.sort(key=lambda p: (p["row"] or 0, p["column"]))
    return problems


def _describe(error) -> str:
    if isinstance(error, ImportFileError):
        return str(error)
    return _g("The database refused the data: %(error)s") % {"error": error}


class _UploadGone(Exception):
    """The previewed file cannot be confirmed; the message says what to do."""


class SheetImportExportMixin(ImportExportMixin):
    """ImportExportMixin with our formats, limits, error report and one record per import."""

    import_template_name = "admin/sheets/import.html"
    import_form_class = SheetImportForm
    # Export columns are the import columns; no column picking, so the two stay equal.
    export_form_class = ExportForm
    import_resource_classes: list = []
    export_resource_classes: list = []

    @property
    def import_formats(self):
        return FORMATS

    @property
    def export_formats(self):
        return FORMATS

    def get_import_resource_classes(self, request):
        return self.import_resource_classes

    def get_export_resource_classes(self, request):
        return self.export_resource_classes or self.import_resource_classes

    def get_import_context_data(self, **kwargs):
        return {
            "import_max_bytes": settings.IMPORT_MAX_BYTES,
            "import_max_rows": settings.IMPORT_MAX_ROWS,
        }

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                _("The file could not be read as a spreadsheet; save it as XLSX or CSV."),
            )

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        self._add_report(response)
        return response

    def _add_report(self, response):
        context = getattr(response, "context_data", None)
        if not context or not context.get("result"):
            return
        result = context["result"]
        resource = self.get_import_resource_classes(None)[0]()
        context["sheet_errors"] = sheet_errors(result, resource)
        context["preview_rows"] = _preview(result, resource)
        context["preview_limit"] = PREVIEW_ROWS
        context["totals"] = {
            "new": result.totals[RowResult.IMPORT_TYPE_NEW],
            "update": result.totals[RowResult.IMPORT_TYPE_UPDATE],
            "skip": result.totals[RowResult.IMPORT_TYPE_SKIP],
            "rows": result.total_rows,
        }
        if context["sheet_errors"]:
            # A preview with errors never offers the confirmation.
            context.pop("confirm_form", None)

    def process_dataset(self, dataset, form, request, **kwargs):
        file_name = kwargs.pop("file_name", None) or form.cleaned_data.get("original_file_name")
        resource = self.choose_import_resource_class(form, request)(
            **self.get_import_resource_kwargs(request, form=form, **kwargs)
        )
        return resource.import_data(
            dataset,
            dry_run=False,
            raise_errors=False,
            use_transactions=True,
            # Any invalid row rolls the whole file back.
            rollback_on_validation_errors=True,
            file_name=file_name,
            user=request.user,
        )

    def process_import(self, request, **kwargs):
        if request.method != "POST":
            return HttpResponseRedirect(self._import_url())
        if not self.has_import_permission(request):
            raise PermissionDenied
        try:
            confirm_form, input_format, storage, data = self._confirmed_upload(request)
            dataset = input_format.create_dataset(data)
            result = self.process_dataset(dataset, confirm_form, request, **kwargs)
        except (_UploadGone, ImportFileError) as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(self._import_url())
        if result.has_errors() or result.has_validation_errors():
            return self._failed_import_page(request, result)
        storage.remove()
        record = self._record_import(request, confirm_form, input_format, result)
        sheet_imported.send(sender=self.model, record=record)
        return self.process_result(result, request)

    def _confirmed_upload(self, request):
        """The confirmation form, the file's format, where the previewed file waits and its
        bytes; _UploadGone when any of them is missing."""
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            raise _UploadGone(_("The import form was incomplete; upload the file again."))
        try:
            input_format = self.get_import_formats()[int(confirm_form.cleaned_data["format"])]()
        except (ValueError, IndexError) as error:
            raise _UploadGone(_("Unknown file format; upload the file again.")) from error
        storage = self.get_tmp_storage_class()(
            name=confirm_form.cleaned_data["import_file_name"],
            encoding=None,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        try:
            return confirm_form, input_format, storage, storage.read()
        except OSError as error:
            raise _UploadGone(
                _("The uploaded file is no longer there; upload it again, please.")
            ) from error

    def _failed_import_page(self, request, result):
        # Something changed since the preview; nothing was written. Show why.
        context = self.admin_site.each_context(request)
        context.update(
            {
                "title": _("Import"),
                "opts": self.model._meta,
                "result": result,
                "import_url": self._import_url(),
            }
        )
        response = TemplateResponse(request, [self.import_template_name], context)
        self._add_report(response)
        return response

    def _record_import(self, request, confirm_form, input_format, result) -> ImportRecord:
        return ImportRecord.objects.create(
            user=request.user,
            content_type=ContentType.objects.get_for_model(self.model),
            file_name=confirm_form.cleaned_data["original_file_name"][:255],
            file_format=input_format.get_title(),
            rows=result.total_rows,
            created=result.totals[RowResult.IMPORT_TYPE_NEW],
            updated=result.totals[RowResult.IMPORT_TYPE_UPDATE],
            skipped=result.totals[RowResult.IMPORT_TYPE_SKIP],
        )

    def add_success_message(self, result, request):
        messages.success(
            request,
            _("Imported %(rows)s rows: %(new)s new, %(updated)s updated.")
            % {
                "rows": result.total_rows,
                "new": result.totals[RowResult.IMPORT_TYPE_NEW],
                "updated": result.totals[RowResult.IMPORT_TYPE_UPDATE],
            },
        )

    def _import_url(self):
        return reverse(
            "admin:{}_{}_import".format(*self.get_model_info()), current_app=self.admin_site.name
        )


def _preview(result, resource) -> dict:
    """The first rows as they will land, by column; the totals say how many there are."""
    headers = [f.column_name for f in resource.get_import_fields()]
    rows = []
    labels = {
        RowResult.IMPORT_TYPE_NEW: _g("new"),
        RowResult.IMPORT_TYPE_UPDATE: _g("update"),
        RowResult.IMPORT_TYPE_SKIP: _g("unchanged"),
    }
    for row_result in result.rows[:PREVIEW_ROWS]:
        values = row_result.row_values or {}
        rows.append(
            {
                "type": row_result.import_type,
                "label": labels.get(row_result.import_type, row_result.import_type),
                "values": ["" if values.get(h) is None else values.get(h) for h in headers],
            }
        )
    return {"headers": headers, "rows": rows}


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

    list_display = ["created_at", "content_type", "file_name", "rows", "created", "updated", "user"]
    list_select_related = ["content_type", "user"]
    list_filter = ["content_type"]
    search_fields = ["file_name", "user__username"]
    date_hierarchy = "created_at"
