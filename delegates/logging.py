"""The addresses of delegates' secrets, written as [redacted] in every log line (forum.logging).

A token in a log line would let whoever reads the logs sign in as that delegate, read their
calendar (with its video-conference links) or choose their password.
"""

import re

REDACTED = r"\1[redacted]"
SECRET_PATHS = [
    # /<lang>/me/link/<token>/ and the calendar feed /<lang>/me/calendar/<secret>.ics
    ("/me/link/", re.compile(r"(/me/link/)[^/\s?\"'\\]+"), REDACTED),
    ("/me/calendar/", re.compile(r"(/me/calendar/)(?!reset/)[^/\s?\"'\\]+"), REDACTED),
    # the password-reset link /<lang>/accounts/reset/<uidb64>/<token>/
    (
        "/accounts/reset/",
        re.compile(r"(/accounts/reset/)(?!done/)[^/\s?\"'\\]+/[^/\s?\"'\\]+"),
        REDACTED,
    ),
]
