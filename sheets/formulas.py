"""Cells a spreadsheet would run as formulas, shown as text instead (OWASP's CSV injection)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


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
