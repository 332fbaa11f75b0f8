"""Change history of agreements and parties; see forum/history.py for why it is here."""

import simple_history

from agreements.models import Agreement, Party

for model in (Agreement, Party):
    simple_history.register(model, app="agreements")
