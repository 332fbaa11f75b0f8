"""Change history of the programme; see forum/history.py for why it is registered here."""

import simple_history

from events.models import Commission, Event

for model in (Commission, Event):
    simple_history.register(model, app="events")
