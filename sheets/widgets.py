"""Widgets: a cell in, a value out, or a ValueError whose message names what is wrong."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from import_export import widgets
from import_export.fields import Field

from sheets.workbooks import blank


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
        if blank(value):
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
        if blank(value):
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
        if blank(value):
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
        if blank(value):
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
        if blank(value):
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
        if blank(value):
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
