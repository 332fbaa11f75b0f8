"""Change history of the documents; see forum/history.py for why it is registered here. A file's
history keeps its stored name, not its bytes."""

import simple_history

from documents.models import Document, DocumentFile

for model in (Document, DocumentFile):
    simple_history.register(model, app="documents")
