"""The base of every import: natural keys, header checks, one key once per file, no per-row
history (an import is recorded once, as an ImportRecord)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _g
from import_export import resources

from sheets.formats import ImportFileError


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
