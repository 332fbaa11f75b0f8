"""Log lines that tell the truth (README, "Operations"): every record this process makes,
whatever its logger and wherever it is written, is cleaned when it is made.

- A secret in an address (``SECRET_PATHS``, filled by the apps that route such addresses) is
  written as ``[redacted]``, in the message, its arguments and a traceback.
- A record of ``django.security.*`` (a wrong Host, a forged signature) keeps no traceback.
- In the arguments (the path, query, user agent… a request brought) control characters are
  written as escapes (``\\x0a``), so that no request can break a line or forge one. A backslash
  is left as it is: Django's request logs escape their arguments themselves (``\\n``, ``\\\\``),
  and gunicorn's access log escapes ``\\`` and ``"`` (forum.gunicorn); nothing is escaped twice.
"""

import contextlib
import functools
import logging
import re
from collections.abc import Mapping

# (a text every match holds, pattern, replacement): the text is looked for first, a plain search
# much cheaper than the pattern's. delegates.apps adds its personal links, calendar feeds and
# password-reset links.
SECRET_PATHS: list[tuple[str, re.Pattern, str]] = []

# The client's doing: a scanner must not write a traceback per request.
WITHOUT_TRACEBACK = ("django.security.",)

CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# The %(name)s fields of a format: only those of a mapping are written (gunicorn passes ~60).
FIELD = re.compile(r"%\(([^)]+)\)")


def _needs_cleaning(text: str) -> bool:
    return any(marker in text for marker, _, _ in SECRET_PATHS) or bool(CONTROLS.search(text))


def redact(text: str) -> str:
    for marker, pattern, replacement in SECRET_PATHS:
        if marker in text:
            text = pattern.sub(replacement, text)
    return text


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _clean(value):
    return CONTROLS.sub(_escape, redact(value)) if isinstance(value, str) else value


def _fields_of(args: Mapping, msg: str) -> dict:
    # Read through the mapping's own lookup (gunicorn's finds headers whatever their case).
    fields = {}
    for name in _fields(msg):
        with contextlib.suppress(KeyError):  # the format fails later, as it would have
            fields[name] = args[name]
    # One scan of them all first: most requests bring nothing to clean (the access log's nine
    # values cost 50 µs a request cleaned one by one). A space ends every secret and control.
    if _needs_cleaning(" ".join(value for value in fields.values() if isinstance(value, str))):
        fields = {name: _clean(value) for name, value in fields.items()}
    return fields


@functools.lru_cache(maxsize=256)
def _fields(msg: str) -> tuple[str, ...]:
    return tuple(set(FIELD.findall(msg)))


def clean_record(record: logging.LogRecord) -> None:
    # An object logged as the message (an exception, say) is written as its text anyway.
    record.msg = redact(str(record.msg))
    if isinstance(record.args, Mapping):
        record.args = _fields_of(record.args, record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(_clean(arg) for arg in record.args)
    if record.name.startswith(WITHOUT_TRACEBACK):
        record.exc_info = record.exc_text = None
    if record.exc_info and not record.exc_text:
        # Formatted once here; every handler's formatter then writes this text.
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def install() -> None:
    """Clean every record made from now on in this process (forum.apps; once is enough)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "cleans_records", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        clean_record(record)
        return record

    factory.cleans_records = True
    logging.setLogRecordFactory(factory)
