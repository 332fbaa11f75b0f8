"""What every spreadsheet import and export of the secretariat shares.

The formats read what people really have (XLSX; CSV in UTF-8 with or without a BOM, or in
Windows-1251 with `;`), refuse what is not a spreadsheet or is too large, and neutralise formulas
on export in a way the import undoes, so an export reads back unchanged. The widgets turn cells
into values with messages a secretariat officer understands, in the admin's language. The base
resource finds existing rows by natural keys prefetched in one query per import, checks the
headers, refuses the same key twice in one file, and keeps per-row history out of imports (an
import is recorded once, as an ImportRecord).
"""

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.fields import Field
from import_export.formats import base_formats

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


class ImportFileError(Exception):
    """A file we cannot read as a sheet; the message is for the person who uploaded it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def neutralise(value):
    """'=1+2' -> "'=1+2": shown as text, never run; restore() undoes it on import."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return ESCAPE + value
    return value


def restore(value):
    if (
        isinstance(value, str)
        and len(value) > 1
        and value[0] == ESCAPE
        and value[1:].startswith(FORMULA_STARTS)
    ):
        return value[1:]
    return value


def normalise_header(value) -> str:
    return str(value if value is not None else "").strip().lower().replace(" ", "_")


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def build_dataset(rows) -> tablib.Dataset:
    """Rows (an iterator of sequences, the header first) -> a Dataset; blank rows dropped."""
    header = next(rows, None)
    while header is not None and all(_is_blank(cell) for cell in header):
        header = next(rows, None)
    if header is None:
        raise ImportFileError(_("The file is empty: it has no header row and no rows."))
    headers = [normalise_header(cell) for cell in header]
    while headers and not headers[-1]:
        headers.pop()
    if any(not name for name in headers):
        raise ImportFileError(
            _("Column %(number)s of the header row is empty; every column needs a name.")
            % {"number": headers.index("") + 1}
        )
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    limit = max_rows()
    for sheet_row, row in enumerate(rows, start=2):
        cells = list(row)
        if all(_is_blank(cell) for cell in cells):
            continue
        if any(not _is_blank(cell) for cell in cells[width:]):
            raise ImportFileError(
                _("Row %(row)s has more cells than the header row has columns.")
                % {"row": sheet_row}
            )
        cells = cells[:width] + [None] * (width - len(cells))
        if len(dataset) >= limit:
            raise ImportFileError(
                _("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": limit}
            )
        dataset.append([restore(cell) for cell in cells])
    if not len(dataset):
        raise ImportFileError(_("The file has a header row but no rows to import."))
    return dataset


class CSV(base_formats.CSV):
    """CSV as Excel writes it: UTF-8 with or without a BOM, or Windows-1251; `,`, `;` or tab.

    Exports are UTF-8 with a BOM and `;`, which Russian and Belarusian Excel open directly.
    """

    def get_title(self):
        return "csv"

    # Read as bytes: the encoding is found here, not given by the upload form.
    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    @staticmethod
    def decode(data: bytes) -> str:
        if data[:4] == b"PK\x03\x04":
            raise ImportFileError(
                _("This is an Excel workbook, not a CSV file: choose the XLSX format.")
            )
        if b"\x00" in data[:8192]:
            raise ImportFileError(_("This file is not a spreadsheet: it is not text."))
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("cp1251")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _("The file is neither UTF-8 nor Windows-1251 text; save it as CSV again.")
            ) from error

    @staticmethod
    def delimiter(text: str) -> str:
        first_line = text.split("\n", 1)[0]
        counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","

    def create_dataset(self, in_stream, **kwargs):
        text = in_stream.lstrip("\ufeff") if isinstance(in_stream, str) else self.decode(in_stream)
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter(text))
            return build_dataset(iter(reader))
        except csv.Error as error:
            raise ImportFileError(
                _("The file is not a readable CSV file: %(error)s") % {"error": error}
            ) from error

    def export_data(self, dataset, **kwargs):
        escaped = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            escaped.append([neutralise(cell) for cell in row])
        return "\ufeff" + escaped.export("csv", delimiter=";")


class XLSX(base_formats.XLSX):
    """The first sheet of an Excel workbook.

    Read with python-calamine (Rust), about ten times faster than openpyxl on the same sheet
    (see `make bench`); formulas are read as their last computed values. Exports are written by
    import-export with openpyxl.
    """

    def get_title(self):
        return "xlsx"

    def create_dataset(self, in_stream):
        from python_calamine import CalamineWorkbook

        if not isinstance(in_stream, bytes) or not in_stream.startswith(b"PK\x03\x04"):
            raise ImportFileError(
                _("This file is not an Excel workbook (XLSX); choose CSV or save it as XLSX.")
            )
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(in_stream))
            sheet = book.get_sheet_by_index(0) if book.sheet_names else None
        # calamine raises one of several error types for a damaged or foreign file.
        except Exception as error:  # noqa: BLE001
            raise ImportFileError(
                _("The workbook could not be opened; it may be damaged or not XLSX.")
            ) from error
        if sheet is None:
            raise ImportFileError(_("The file is empty: it has no header row and no rows."))
        return build_dataset(iter(sheet.iter_rows()))

    def export_data(self, dataset, **kwargs):
        escaped = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            escaped.append([neutralise(cell) for cell in row])
        return super().export_data(escaped, **kwargs)


FORMATS = [XLSX, CSV]


# Widgets: a cell in, a value out, or a ValueError whose message names what is wrong.


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class IntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = _text(value).replace(" ", "").replace("\u00a0", "")
        if text.isdigit() or (text[:1] == "-" and text[1:].isdigit()):
            return int(text)
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if not self.coerce_to_string else str(value)


class DecimalWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
        if isinstance(value, int | float | Decimal):
            return Decimal(str(value))
        text = _text(value).replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if not self.coerce_to_string else str(value)


DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d.%m.%y")


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        for date_format in DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        raise ValueError(
            _("“%(value)s” is not a date; write a real date as 28.09.2020 or 2020-09-28.")
            % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if not self.coerce_to_string else value.isoformat()


class TimeWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, dt.datetime):
            return value.time()
        if isinstance(value, dt.time):
            return value
        if isinstance(value, dt.timedelta) and dt.timedelta(0) <= value < dt.timedelta(days=1):
            # A duration-formatted cell.
            return (dt.datetime.min + value).time()
        text = _text(value)
        for time_format in ("%H:%M", "%H:%M:%S", "%H.%M"):
            try:
                return dt.datetime.strptime(text, time_format).time()
            except ValueError:
                continue
        raise ValueError(
            _("“%(value)s” is not a time of day; write it as 14:30.") % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.strftime("%H:%M")


TRUE_WORDS = {"1", "true", "yes", "y", "да", "д", "так", "x", "+", "✓"}
FALSE_WORDS = {"0", "false", "no", "n", "нет", "н", "не", "-", ""}


class BooleanWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        text = _text(value).lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(_("“%(value)s” is neither 1 (yes) nor 0 (no).") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if not self.coerce_to_string else ("1" if value else "0")


def _labels(choices) -> dict[str, str]:
    """Lower-cased code and label in every language -> code."""
    mapping = {}
    for code, label in choices:
        mapping[str(code).lower()] = code
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                mapping.setdefault(str(label).strip().lower(), code)
    return mapping


class ChoiceWidget(widgets.Widget):
    """A choice by its code (`speaker`) or its label in Russian, Belarusian or English."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)
        self._mapping = None

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return ""
        if self._mapping is None:
            self._mapping = _labels(self.choices)
        code = self._mapping.get(_text(value).lower())
        if code is None:
            raise ValueError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(str(c) for c, _l in self.choices)}
            )
        return code

    def render(self, value, obj=None, **kwargs):
        return value or ""


class LookupWidget(widgets.Widget):
    """A related row by a key: a region by ISO code, a venue by name. The resource fills
    `lookup` once per import (one query), so rows cost no query each."""

    def __init__(self, *, key, message, normalise=str.lower, render_key=None, **kwargs):
        super().__init__(**kwargs)
        self.key = key
        self.message = message
        self.normalise = normalise
        self.render_key = render_key or (lambda obj: getattr(obj, key))
        self.lookup = None

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        obj = (self.lookup or {}).get(self.normalise(_text(value)))
        if obj is None:
            raise ValueError(self.message % {"value": value})
        return obj

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else self.render_key(value)


def field(attribute, widget=None, **kwargs) -> Field:
    return Field(
        attribute=attribute, column_name=attribute, widget=widget or TextWidget(), **kwargs
    )


def translated(attribute, widget=None) -> list[tuple[str, Field]]:
    """title -> title_ru, title_be, title_en side by side."""
    return [
        (f"{attribute}_{language}", field(f"{attribute}_{language}", widget))
        for language, _name in settings.LANGUAGES
    ]


class SheetResource(resources.ModelResource):
    """The base of every import: natural keys, header checks, one key once per file.

    Subclasses name `required_columns`, define `natural_key(row)` (a hashable from the raw row,
    or None where the row names no key yet), `existing(keys)` (key -> instance, in one query),
    and optionally `prepare(dataset)` to fill their LookupWidgets.
    """

    required_columns: tuple[str, ...] = ()
    # Columns that an export writes for reading only, e.g. a delegate's full name.
    read_only_columns: tuple[str, ...] = ()

    class Meta:
        abstract = True
        import_id_fields = []
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._existing = {}
        self._seen = {}

    # Headers and keys, checked before any row.

    def column_names(self) -> list[str]:
        return [f.column_name for f in self.get_import_fields()] + list(self.read_only_columns)

    def check_headers(self, headers):
        known = set(self.column_names())
        unknown = [name for name in headers if name not in known]
        missing = [name for name in self.required_columns if name not in headers]
        duplicated = sorted({name for name in headers if headers.count(name) > 1})
        problems = []
        if missing:
            problems.append(_g("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        if unknown:
            problems.append(
                _g("Unknown columns: %(columns)s. The columns this sheet takes: %(known)s.")
                % {"columns": ", ".join(unknown), "known": ", ".join(self.column_names())}
            )
        if duplicated:
            problems.append(
                _g("Columns that appear twice: %(columns)s.") % {"columns": ", ".join(duplicated)}
            )
        if problems:
            raise ImportFileError(" ".join(problems))

    def _check_import_id_fields(self, headers):
        # Natural keys are ours; check_headers() has already named any missing column.
        return

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, *args, **kw):
        # Wrong headers make every row wrong: say so once and read no row.
        try:
            self.check_headers(list(dataset.headers or []))
        except ImportFileError as error:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            self.handle_import_error(result, error, raise_errors)
            return result
        return super().import_data_inner(
            dataset, dry_run, raise_errors, using_transactions, *args, **kw
        )

    def before_import(self, dataset, **kwargs):
        self.prepare(dataset)
        keys = set()
        for data_row in dataset.dict:
            try:
                key = self.natural_key(data_row)
            except ValueError:
                key = None
            if key is not None:
                keys.add(key)
        self._existing = self.existing(keys) if keys else {}
        self._seen = {}

    def prepare(self, dataset):
        """Fill lookups before the rows; one query each."""

    def natural_key(self, row):
        raise NotImplementedError

    def existing(self, keys) -> dict:
        raise NotImplementedError

    def describe_key(self, key) -> str:
        return " / ".join(str(part) for part in (key if isinstance(key, tuple) else (key,)))

    def get_instance(self, instance_loader, row):
        try:
            key = self.natural_key(row)
        except ValueError:
            return None
        return self._existing.get(key) if key is not None else None

    def before_import_row(self, row, **kwargs):
        self._duplicate = None
        try:
            key = self.natural_key(row)
        except ValueError:
            return
        if key is None:
            return
        earlier = self._seen.get(key)
        if earlier is not None:
            self._duplicate = _g(
                "%(key)s is already in row %(row)s of this file; each appears once per file."
            ) % {"key": self.describe_key(key), "row": earlier}
        else:
            self._seen[key] = kwargs.get("row_number", 0) + 1

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if getattr(self, "_duplicate", None):
            errors.setdefault(NON_FIELD_ERRORS, []).append(self._duplicate)
        if errors:
            raise ValidationError(errors)

    # column -> model fields that cannot be checked once that column is wrong; their own
    # "cannot be empty" would only repeat the column's error.
    excluded_when: dict[str, tuple[str, ...]] = {}

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        exclude = set(errors)
        for column in errors:
            exclude.update(self.excluded_when.get(column, ()))
        exclude.update(self.excluded_fields(instance))
        try:
            instance.full_clean(exclude=sorted(exclude), validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def excluded_fields(self, instance) -> set[str]:
        return set()

    # The preview shows this many rows; values of later rows are not kept, so memory grows
    # only with what must be held (the file and one small result per row).
    preview_rows = 200

    def after_import_row(self, row, row_result, **kwargs):
        if kwargs.get("row_number", 0) > self.preview_rows:
            row_result.row_values = None

    def before_save_instance(self, instance, row, **kwargs):
        # Per-row history would write thousands of records; the import is recorded once.
        instance.skip_history_when_saving = True
        if hasattr(instance, "updated_at"):
            instance.updated_at = timezone.now()
