"""Blank templates: an XLSX per import page, its header in the admin's language."""

from django.http import HttpResponse


def template_workbook(resource, model) -> HttpResponse:
    raise NotImplementedError
