"""Change history of delegates and assignments; see forum/history.py for why it is here."""

import simple_history

from delegates.models import Assignment, Delegate

# The personal-link key and the calendar secret open a delegate's private page and feed: they
# stay out of the history, which every editor can read.
simple_history.register(
    Delegate, app="delegates", excluded_fields=["access_key", "calendar_secret"]
)
simple_history.register(Assignment, app="delegates")
