"""The base of every import: headers as people write them, natural keys, one key once per file,
what each row changes, no per-row history (an import is recorded once, as an ImportRecord)."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import resources

from sheets.errors import ImportFileError
from sheets.headers import dataset_from, fold

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def comparable(value):
    """A value as a sheet would show it, so that an untouched export compares equal: empty
    text and NULL are the same, a related row is its key, 3.0 is 3."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def shown(value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


class SheetResource(resources.ModelResource):
    """The base of every import: headers, natural keys, one key once per file, changes.

    Subclasses name `required_columns`, define `natural_key(row)` (a hashable from the raw row,
    or None where the row names no key yet), `existing(keys)` (key -> instance, in one query),
    and optionally `prepare(dataset)` to fill their LookupWidgets.
    """

    required_columns: tuple[str, ...] = ()
    # Columns that an export writes for reading only, e.g. a delegate's full name.
    read_only_columns: tuple[str, ...] = ()
    # Labels of columns that are not model fields of the same name (model fields have theirs).
    column_titles: dict = {}
    # A column that stands for several (one "full name" for last, first and middle name).
    combined_columns: dict[str, tuple[str, ...]] = {}
    # Other headers people give a column, beside its name and its labels.
    column_aliases: dict[str, tuple[str, ...]] = {}

    class Meta:
        abstract = True
        import_id_fields = []
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True
        # What a row changes is worked out here (changes()), not by import-export's diff.
        skip_diff = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._existing = {}
        self._seen = {}
        self._dataset = None
        self._before = None
        self.changes = []

    # Headers: the names and labels a column is known by.

    def column_names(self) -> list[str]:
        return [f.column_name for f in self.get_import_fields()] + list(self.read_only_columns)

    def column_label(self, column: str):
        """The column's lazily translated label: 'фамилия' for last_name_ru, 'фамилия
        (белорусский)' for last_name_be."""
        if column in self.column_titles:
            return self.column_titles[column]
        return model_column_label(self._meta.model, column)

    def column_spellings(self, column: str) -> set[str]:
        spellings = {column, *self.column_aliases.get(column, ())}
        label = self.column_label(column)
        base, _sep, language = column.rpartition("_")
        for ui_language in LANGUAGE_CODES:
            with translation.override(ui_language):
                spellings.add(str(label))
                if language == LANGUAGE_CODES[0] and self._model_field(base) is not None:
                    spellings.add(str(translated_label(self.column_label(column), language)))
        return spellings

    def _model_field(self, name):
        try:
            return self._meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None

    def header_vocabulary(self) -> dict[str, str]:
        """Every folded spelling -> its column; a spelling two columns share names neither."""
        owners: dict[str, set[str]] = {}
        for column in [*self.column_names(), *self.combined_columns]:
            for spelling in self.column_spellings(column):
                owners.setdefault(fold(spelling), set()).add(column)
        return {name: columns.pop() for name, columns in owners.items() if len(columns) == 1}

    def header_label(self, column: str) -> str:
        """The column's header in the current language, as the template writes it."""
        return capfirst(str(self.column_label(column)))

    def dataset(self, sheet):
        """The sheet's rows under its header, as a dataset of this resource's columns."""
        return dataset_from(sheet, self.header_vocabulary())

    def spelled(self, column: str) -> str:
        spelling = getattr(self._dataset, "spelling", {})
        if column in spelling:
            return spelling[column]
        return str(self.column_titles.get(column, column))

    def sheet_row(self, number: int) -> int:
        return self._dataset.sheet_row(number) if hasattr(self._dataset, "sheet_row") else number

    # Headers and keys, checked before any row.

    def check_headers(self, headers):
        known = set(self.column_names()) | set(self.combined_columns)
        covered = {c for name in headers for c in self.combined_columns.get(name, ())}
        unknown = [self.spelled(name) for name in headers if name not in known]
        missing = [
            f"{self.header_label(name)} ({name})"
            for name in self.required_columns
            if name not in headers and name not in covered
        ]
        duplicated = sorted({self.spelled(name) for name in headers if headers.count(name) > 1})
        problems = []
        if missing:
            problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        if unknown:
            problems.append(
                _(
                    "Unknown columns: %(columns)s. The columns this sheet takes (by these names "
                    "or by their labels in Russian, Belarusian or English): %(known)s."
                )
                % {"columns": ", ".join(unknown), "known": ", ".join(self.column_names())}
            )
        if duplicated:
            problems.append(
                _("Columns that appear twice: %(columns)s.") % {"columns": ", ".join(duplicated)}
            )
        if problems:
            raise ImportFileError(" ".join(problems))

    def _check_import_id_fields(self, headers):
        # Natural keys are ours; check_headers() has already named any missing column.
        return

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, *args, **kw):
        self._dataset = dataset
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
        self._dataset = dataset
        headers = list(dataset.headers or [])
        headers += [c for name in headers for c in self.combined_columns.get(name, ())]
        self._columns = [c for c in dict.fromkeys(headers) if c in self.fields]
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
        self._current_row = self.sheet_row(kwargs.get("row_number", 0))
        try:
            key = self.natural_key(row)
        except ValueError:
            return
        if key is None:
            return
        earlier = self._seen.get(key)
        if earlier is not None:
            self._duplicate = _(
                "%(key)s is already in row %(row)s of this file; each appears once per file."
            ) % {"key": self.describe_key(key), "row": earlier}
        else:
            self._seen[key] = self._current_row

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

    # What a row changes: the sheet's columns before and after, as the export writes them.

    def after_init_instance(self, instance, new, row, **kwargs):
        self._before = None if new else self.snapshot(instance)

    def snapshot(self, instance) -> dict:
        return {column: comparable(self.column_value(column, instance)) for column in self._columns}

    def column_value(self, column: str, instance):
        """The column's value of an instance, pending relations of this row included."""
        dehydrate = getattr(self, f"dehydrate_{column}", None)
        if dehydrate is not None:
            return dehydrate(instance)
        return self.fields[column].get_value(instance)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        self.changes = []
        if import_validation_errors or self._before is None:
            return False
        after = self.snapshot(instance)
        self.changes = [
            (self.spelled(column), shown(before), shown(after[column]))
            for column, before in self._before.items()
            if before != after[column]
        ]
        return not self.changes

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
        else:
            row_result.changes = self.changes
            row_result.sheet_row = self._current_row

    def before_save_instance(self, instance, row, **kwargs):
        # Per-row history would write thousands of records; the import is recorded once.
        instance.skip_history_when_saving = True
        if hasattr(instance, "updated_at"):
            instance.updated_at = timezone.now()


LANGUAGE_NAMES = dict(settings.LANGUAGES)


def model_column_label(model, column: str):
    """A model's column by its field's verbose name, the language's name after the other
    languages' text columns; the column's own name where no field has it."""

    def field_of(name):
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            return None

    base, _sep, language = column.rpartition("_")
    if language in LANGUAGE_CODES and field_of(base) is not None:
        label = field_of(base).verbose_name
        return label if language == LANGUAGE_CODES[0] else translated_label(label, language)
    field = field_of(column)
    return field.verbose_name if field is not None else column.replace("_", " ")


def _translated_label(label, language: str) -> str:
    return _("%(label)s (%(language)s)") % {"label": label, "language": LANGUAGE_NAMES[language]}


# 'фамилия' for Belarusian -> 'фамилия (белорусский)', in the language active when shown.
translated_label = lazy(_translated_label, str)
