from django.dispatch import Signal

# Sent once a confirmed import has written its rows: bulk writes send no model signals, and the
# page cache above (public) must hear of them at once.
sheet_imported = Signal()
