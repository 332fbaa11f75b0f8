"""Change history (django-simple-history) of the forum's models.

Registered here, from ForumConfig.ready(), rather than with HistoricalRecords() on the models:
modeltranslation adds the title_ru/title_be/title_en columns in its own ready(), which runs
first, so the history keeps every language.
"""

import simple_history

from forum.models import Day, Forum, Region, Venue

for model in (Forum, Day, Region, Venue):
    simple_history.register(model, app="forum")
