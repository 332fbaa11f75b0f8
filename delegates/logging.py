"""Keep personal-link tokens out of the logs.

A token in a log line would let whoever reads the logs sign in as that delegate.
"""

import logging
import re

SECRETS_IN_PATHS = [
    # /<lang>/me/link/<token>/ and the calendar feed /<lang>/me/calendar/<secret>.ics
    re.compile(r"(/me/(?:link|calendar)/)[^/\s?\"']+"),
    # the password-reset link /<lang>/accounts/reset/<uidb64>/<token>/
    re.compile(r"(/accounts/reset/)(?!done/)[^/\s?\"']+/[^/\s?\"']+"),
]
REDACTED = r"\1[redacted]"


def redact(value):
    if isinstance(value, str):
        for pattern in SECRETS_IN_PATHS:
            value = pattern.sub(REDACTED, value)
    return value


class RedactAccessLinks(logging.Filter):
    """Rewrite the message and its arguments of a record in place; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            # gunicorn's access log passes its atoms as a mapping.
            record.args = {key: redact(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(redact(arg) for arg in record.args)
        return True
