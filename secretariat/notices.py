"""Telling delegates what changed in their programme: who has something to be told (against
what they were last told, secretariat.Told), the mail in their language, and the record of each
mail (secretariat.Notice). What a change is: delegates.changes."""

import contextlib
import smtplib
from dataclasses import dataclass

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from delegates.changes import Change, Entries, change_text, programme_changes
from delegates.models import Assignment, Delegate
from delegates.services import (
    DelegateMailNotSent,
    delegate_mail,
    delegate_page_url,
    delegates_link_keys_ensure,
)
from events.models import Event
from forum.models import Forum, Venue
from secretariat.models import Notice, NoticeStatus, Told


@dataclass
class Scope:
    """What one run of the notices looks at: a forum's whole programme, or some events."""

    forum: Forum | None = None
    event_ids: tuple[int, ...] = ()

    def events(self) -> QuerySet:
        if self.forum is not None:
            return Event.objects.filter(forum=self.forum)
        return Event.objects.filter(pk__in=self.event_ids)

    def told(self) -> QuerySet:
        told = Told.objects.all()
        if self.forum is not None:
            return told.filter(forum=self.forum)
        return told.filter(event_key__in=self.event_ids)


@dataclass
class Pending:
    """A delegate with something to be told: the changes, and their programme in the scope as
    it is now (what they will have been told once the mail is out)."""

    delegate: Delegate
    changes: list[Change]
    entries: dict[str, dict]
    first: bool


def _entries_now(scope: Scope) -> dict[int, dict[str, dict]]:
    """{delegate id: their snapshot of the scope}, from plain rows: each event, its forum, day
    and venues, and each seat are read once, not once per assignment."""
    # The forum (time zone), the day and the venues go into every entry of the event.
    events = scope.events().select_related("forum", "day").prefetch_related("venues").in_bulk()
    rows = list(
        Assignment.objects.filter(event__in=events.keys()).values_list(
            "delegate_id", "event_id", "role", "participation", "venue_id"
        )
    )
    seats = Venue.objects.in_bulk({row[4] for row in rows if row[4] is not None})
    entries, now = Entries(), {}
    for delegate_id, event_id, role, participation, venue_id in rows:
        now.setdefault(delegate_id, {})[str(event_id)] = entries.make(
            event=events[event_id],
            role=role,
            participation=participation,
            venue=seats.get(venue_id),
        )
    return now


def notices_pending(*, scope: Scope) -> list[Pending]:
    """Every delegate whose own programme in the scope changed since the last notice they got
    (all of it, for one who never got one), by name."""
    now = _entries_now(scope)
    told: dict[int, dict[str, dict]] = {}
    for delegate_id, event_key, entry in scope.told().values_list(
        "delegate_id", "event_key", "entry"
    ):
        told.setdefault(delegate_id, {})[str(event_key)] = entry
    changed = {}
    for delegate_id in now.keys() | told.keys():
        changes = programme_changes(told.get(delegate_id, {}), now.get(delegate_id, {}))
        if changes:
            changed[delegate_id] = changes
    delegates = Delegate.objects.select_related("user").in_bulk(changed.keys())
    pending = [
        Pending(
            delegate=delegates[delegate_id],
            changes=changes,
            entries=now.get(delegate_id, {}),
            first=delegate_id not in told,
        )
        for delegate_id, changes in changed.items()
    ]
    return sorted(pending, key=lambda p: (p.delegate.full_name.casefold(), p.delegate.pk))


def notice_message(*, delegate: Delegate, changes: list[Change], url: str) -> tuple[str, str]:
    """The mail's subject and text, in the delegate's language."""
    with translation.override(delegate.language):
        context = {
            "delegate": delegate,
            "changes": [change_text(change) for change in changes],
            "url": url,
        }
        subject = " ".join(
            render_to_string("secretariat/email/notice_subject.txt", context).split()
        )
        return subject, render_to_string("secretariat/email/notice.txt", context)


def notice_sample(*, pending: Pending, request) -> tuple[str, str]:
    """The mail as the delegate would get it, with their page's address where the sent mail has
    their personal link (a preview must not issue one)."""
    with translation.override(pending.delegate.language):
        url = request.build_absolute_uri(reverse("me"))
    return notice_message(delegate=pending.delegate, changes=pending.changes, url=url)


@dataclass
class NoticeReport:
    sent: list[Notice]
    failed: list[Notice]


# Mails sent before their records are written, in one transaction. A run cut short between the
# two (a worker killed) tells those few delegates again next time: never loses a change.
BATCH = 100


def notice_mail(*, pending: Pending, request, user, connection=None) -> Notice:
    """Mail one delegate their changes; the notice (unsaved) says whether it went out and why
    not."""
    delegate = pending.delegate
    notice = Notice(
        delegate=delegate,
        sent_by=user,
        email=delegate.email,
        language=delegate.language,
        changes=len(pending.changes),
        status=NoticeStatus.SENT,
    )
    url = delegate_page_url(delegate=delegate, request=request) if delegate.email else ""
    notice.subject, notice.body = notice_message(
        delegate=delegate, changes=pending.changes, url=url
    )
    try:
        delegate_mail(
            delegate=delegate, subject=notice.subject, body=notice.body, connection=connection
        )
    except DelegateMailNotSent as error:
        notice.status, notice.reason = NoticeStatus.NOT_SENT, str(error)
    return notice


@transaction.atomic
def notices_record(*, notices: list[Notice], pending: list[Pending], scope: Scope) -> None:
    """Keep each notice; for those that went out, what their delegate now knows of the scope,
    in place of what they knew (a failed one leaves the change to be told next time)."""
    Notice.objects.bulk_create(notices)
    told = [
        (item, notice)
        for item, notice in zip(pending, notices, strict=True)
        if notice.status == NoticeStatus.SENT
    ]
    scope.told().filter(delegate__in=[item.delegate for item, _notice in told]).delete()
    Told.objects.bulk_create(
        Told(
            delegate=item.delegate,
            event_key=int(key),
            forum_id=entry["forum"],
            entry=entry,
            notice=notice,
        )
        for item, notice in told
        for key, entry in item.entries.items()
    )


def notices_send(*, pending: list[Pending], scope: Scope, request, user) -> NoticeReport:
    """Send each pending notice over one connection to the mail server and record it; one
    failure does not stop the rest."""
    # Their mails carry a personal link: signed with the key each has, or one made now.
    delegates_link_keys_ensure(delegates=[item.delegate for item in pending])
    report = NoticeReport(sent=[], failed=[])
    connection = get_connection()
    # A server that does not answer now is tried again by each mail, which then says why.
    with contextlib.suppress(smtplib.SMTPException, OSError):
        connection.open()
    try:
        for start in range(0, len(pending), BATCH):
            batch = pending[start : start + BATCH]
            notices = [
                notice_mail(pending=item, request=request, user=user, connection=connection)
                for item in batch
            ]
            notices_record(notices=notices, pending=batch, scope=scope)
            for notice in notices:
                sent = notice.status == NoticeStatus.SENT
                (report.sent if sent else report.failed).append(notice)
    finally:
        connection.close()
    return report
