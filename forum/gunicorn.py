"""gunicorn's logger for the Forum of Regions (deploy/gunicorn.conf.py: ``logger_class``).

gunicorn escapes a double quote in the access log's values as ``\\"`` but leaves a backslash as it
is, so a value ending in ``\\`` still closes its quotes early (``path="/x\\" status=…``). Here both
are escaped, ``\\\\`` and ``\\"``; control characters and secrets are dealt with in every record
(forum.logging)."""

from gunicorn import glogging


class QuotedAtoms(glogging.SafeAtoms):
    def __init__(self, atoms):
        dict.__init__(self)
        for key, value in atoms.items():
            if isinstance(value, str):
                value = value.replace("\\", "\\\\").replace('"', '\\"')
            self[key] = value


class Logger(glogging.Logger):
    atoms_wrapper_class = QuotedAtoms
