"""Blank templates: an XLSX per import page, with the header row in the admin's language, a
sheet describing every column and its accepted values, and drop-down lists where a column takes
one of a list (choices, regions, yes/no)."""

import io

import openpyxl
from django.http import HttpResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sheets.widgets import BooleanWidget, ChoiceWidget, LookupWidget

# Rows of the template that offer the drop-down lists.
TEMPLATE_ROWS = 1000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_columns(resource) -> list[str]:
    """The import's columns, and of column groups (parties) the first two."""
    columns = [c for c in resource.column_names() if c in resource.fields]
    columns += [c for c in resource.read_only_columns if c.startswith(("party1_", "party2_"))]
    return columns


def accepted_values(resource, column) -> list[str]:
    field = resource.fields.get(column)
    widget = field.widget if field is not None else None
    if isinstance(widget, ChoiceWidget):
        return widget.labels()
    if isinstance(widget, BooleanWidget):
        return [_("yes"), _("no")]
    if isinstance(widget, LookupWidget) and widget.choices is not None:
        return widget.choices()
    return []


def template_workbook(resource, model) -> HttpResponse:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = str(capfirst(model._meta.verbose_name_plural))[:31]
    guide = book.create_sheet(_("Columns")[:31])
    lists = book.create_sheet("lists")
    lists.sheet_state = "hidden"
    guide.append([_("Column"), _("Technical name"), _("Required"), _("Accepted values")])
    columns = template_columns(resource)
    sheet.append([resource.header_label(column) for column in columns])
    for index, column in enumerate(columns, start=1):
        values = accepted_values(resource, column)
        required = _("yes") if column in resource.required_columns else ""
        guide.append([resource.header_label(column), column, required, ", ".join(values)])
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(resource.header_label(column)) + 2)
        if values:
            for row, value in enumerate(values, start=1):
                lists.cell(row=row, column=index, value=value)
            validation = DataValidation(
                type="list",
                formula1=f"=lists!${letter}$1:${letter}${len(values)}",
                allow_blank=True,
                showErrorMessage=False,
            )
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(validation)
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["B"].width = 25
    guide.column_dimensions["D"].width = 80
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    name = f"{model._meta.model_name}-template.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
