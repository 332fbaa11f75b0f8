"""Change history of delegates and assignments; see forum/history.py for why it is here."""

import simple_history

from delegates.models import Assignment, Delegate

for model in (Delegate, Assignment):
    simple_history.register(model, app="delegates")
