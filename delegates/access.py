"""Who may read a forum's documents beyond what everyone may (``Document.objects.public()``): the
one rule, for the delegate's page and the participants' download alike."""

from django.db.models import Q, QuerySet

from delegates.models import Assignment, Delegate
from documents.models import Document, DocumentFile
from forum.permissions import is_active_staff


def documents_of_delegate(*, delegate: Delegate) -> QuerySet[Document]:
    """Every document, for everyone or for participants, of the events the delegate is assigned
    to, and of the whole of each forum they take part in; published or not, as their programme."""
    assigned = Assignment.objects.filter(delegate=delegate)
    return documents_of(
        events=assigned.values("event_id"), forums=assigned.values("event__forum_id")
    )


def documents_of(*, events, forums) -> QuerySet[Document]:
    """What every delegate of these events, and of these forums, may read of them
    (``documents_of_delegate``): each event's own documents, and those of the whole forum;
    ``events`` and ``forums`` ids, or querysets of them."""
    return Document.objects.filter(Q(event__in=events) | Q(event__isnull=True, forum__in=forums))


def documents_readable(*, user, delegate: Delegate | None) -> QuerySet[Document]:
    """What this reader may download from the participants' address: active staff every
    document; the signed-in delegate theirs; anyone else nothing."""
    if is_active_staff(user):
        return Document.objects.all()
    if delegate is None:
        return Document.objects.none()
    return documents_of_delegate(delegate=delegate)


def readable_document_file(
    *, user, delegate: Delegate | None, document_id: int, language: str, format_: str
) -> DocumentFile | None:
    """The file at a participants' address if this reader may have it; None, whether it does not
    exist or is not theirs, so that the answer tells nothing about it."""
    return (
        DocumentFile.objects.filter(
            document__in=documents_readable(user=user, delegate=delegate),
            document_id=document_id,
            language=language,
            format=format_,
        )
        .select_related("document")
        .first()
    )
