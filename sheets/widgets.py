"""Widgets: a cell in, a value out, or a ValueError whose message names what is wrong."""

import datetime as dt
import re
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


SCIENTIFIC = re.compile(r"^[+-]?\d+([.,]\d+)?[eE][+-]?\d+$")


class PhoneWidget(TextWidget):
    """A phone number as text. "3,75293E+11" is what Excel shows of a long number it has
    already rounded: the digits are lost, so it is refused rather than stored."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if SCIENTIFIC.match(text.replace(" ", "")):
            raise ValueError(
                _(
                    "“%(value)s” is a number Excel has rounded, not a phone number. Format the "
                    "column as text in Excel and type the numbers again."
                )
                % {"value": value}
            )
        return text


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
# Excel counts days from 30 December 1899 (its 1900 system, the one Russian and Belarusian
# Excel use); the last day it can show is 31 December 9999.
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_LAST_DAY = 2958465


def excel_date(serial) -> dt.date:
    """A date typed into a number cell, as Excel's serial number: 44102 -> 2020-09-28."""
    if serial > EXCEL_LAST_DAY:
        raise ValueError(
            _("“%(value)s” is not a date; write a real date as 28.09.2020 or 2020-09-28.")
            % {"value": serial}
        )
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 1:
            return excel_date(value)
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
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
            # A time typed into a number cell: Excel's fraction of a day.
            return (dt.datetime.min + dt.timedelta(days=value)).time().replace(microsecond=0)
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


TRUE_WORDS = {"1", "true", "yes", "y", "да", "д", "так", "x", "+", "✓", "истина", "ісціна"}
FALSE_WORDS = {"0", "false", "no", "n", "нет", "н", "не", "-", "", "ложь", "хлусня"}


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


def fold_value(value) -> str:
    """A cell as a choice is looked up: case, spaces and "ё" aside."""
    return " ".join(_text(value).casefold().replace("ё", "е").split())


class ChoiceWidget(widgets.Widget):
    """A choice by its code (`speaker`) or its label in Russian, Belarusian or English, case
    and "ё" aside; `aliases` adds other names people write (code -> names)."""

    def __init__(self, choices, aliases=None, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)
        self.aliases = aliases or {}
        self._mapping = None

    def _labels(self) -> dict[str, str]:
        mapping = {}
        for code, label in self.choices:
            mapping[fold_value(code)] = code
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    mapping.setdefault(fold_value(str(label)), code)
            for alias in self.aliases.get(code, ()):
                mapping.setdefault(fold_value(alias), code)
        return mapping

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return ""
        if self._mapping is None:
            self._mapping = self._labels()
        code = self._mapping.get(fold_value(value))
        if code is None:
            raise ValueError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(self.labels())}
            )
        return code

    def labels(self) -> list[str]:
        """The choices' labels in the language active, as a person picks them."""
        return [str(label) for _code, label in self.choices]

    def render(self, value, obj=None, **kwargs):
        return value or ""


class LookupWidget(widgets.Widget):
    """A related row by a key: a region by ISO code, a venue by name. The resource fills
    `lookup` once per import (one query), so rows cost no query each."""

    def __init__(self, *, key, message, normalise=str.lower, render_key=None, choices=None, **kw):
        super().__init__(**kw)
        # What a template's drop-down list offers: a callable, read when the template is made.
        self.choices = choices
        self.key = key
        self.message = message
        self.normalise = normalise
        self.render_key = render_key or (lambda obj: getattr(obj, key))
        self.lookup = None

    def clean(self, value, row=None, **kwargs):
        if blank(value):
            return None
        keys = self.normalise(_text(value))
        # A normaliser may give several keys, tried in turn.
        for key in keys if isinstance(keys, tuple) else (keys,):
            obj = (self.lookup or {}).get(key)
            if obj is not None:
                break
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
