"""Writes about delegates: personal links, their logins, calendar secrets; bulk assignment."""

import datetime as dt
import hashlib
import logging
import secrets
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from delegates.auth import SESSION_BACKEND
from delegates.changes import Change, programme_changes
from delegates.models import (
    Assignment,
    Delegate,
    Participation,
    PasswordResetRequest,
    ProgrammeSeen,
)

logger = logging.getLogger(__name__)

# Our own salt: a token signed for anything else in the project never opens a delegate's page.
LINK_SALT = "delegates.personal-link"
# The marks of what changed stay this long after a visit first shows them: reloading the page or
# reading it in another language within the visit keeps them.
MARKS_KEPT = dt.timedelta(hours=1)
# Set in the session of a sign-in by link: when the secretariat issues a new link or revokes
# it, sessions opened with the old one end too (see delegate_link_session_valid).
SESSION_LINK_KEY = "delegate_link_key"


class DelegateLinkInvalid(Exception):
    """A personal link that does not open: ``reason`` is "broken" or "expired"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class DelegateMailNotSent(Exception):
    """Why a mail to a delegate could not be sent; the message is for the secretariat."""


def link_max_age_seconds() -> int:
    return settings.DELEGATE_LINK_MAX_AGE_DAYS * 24 * 60 * 60


def _link_signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=LINK_SALT)


def _key_fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def delegate_link_issue(*, delegate: Delegate) -> str:
    """A new personal-link token for the delegate; every earlier link stops working."""
    delegate.access_key = secrets.token_urlsafe(24)
    delegate.access_link_issued_at = timezone.now()
    # Not updated_at: no public page shows a link, a login or a calendar secret, so saving one
    # must move no programme version (public.versioning); the history still records it.
    delegate.save(update_fields=["access_key", "access_link_issued_at"])
    return _link_signer().sign_object({"d": delegate.pk, "k": delegate.access_key})


def delegate_link_revoke(*, delegate: Delegate) -> None:
    """No personal link of this delegate works any more, and sessions opened with one end."""
    delegate.access_key = ""
    delegate.save(update_fields=["access_key"])


def delegate_link_path(*, delegate: Delegate, token: str) -> str:
    """The link's path, in the delegate's own language."""
    with translation.override(delegate.language):
        return reverse("delegate-link", kwargs={"token": token})


def delegate_link_url(*, delegate: Delegate, token: str, request) -> str:
    """The absolute address of the link, on the host the secretariat works on."""
    return request.build_absolute_uri(delegate_link_path(delegate=delegate, token=token))


def delegate_link_verify(*, token: str) -> Delegate:
    """The delegate a token belongs to, or DelegateLinkInvalid; the reason never names them."""
    try:
        payload = _link_signer().unsign_object(token, max_age=link_max_age_seconds())
    except signing.SignatureExpired as error:
        raise DelegateLinkInvalid("expired") from error
    except (signing.BadSignature, ValueError) as error:
        raise DelegateLinkInvalid("broken") from error
    if not isinstance(payload, dict) or not isinstance(payload.get("k"), str):
        raise DelegateLinkInvalid("broken")
    delegate = (
        Delegate.objects.select_related("user").filter(pk=payload.get("d")).first()
        if isinstance(payload.get("d"), int)
        else None
    )
    # A replaced or revoked key reads the same as an expired link: "ask for a new one".
    if (
        delegate is None
        or not delegate.access_key
        or not secrets.compare_digest(delegate.access_key, payload["k"])
    ):
        raise DelegateLinkInvalid("expired")
    # Staff sign in with their password (and django-axes' throttling), never by link.
    if delegate.user and (
        not delegate.user.is_active or delegate.user.is_staff or delegate.user.is_superuser
    ):
        raise DelegateLinkInvalid("expired")
    return delegate


def delegate_user_ensure(*, delegate: Delegate):
    """The delegate's login, made on first use with no password (links and resets set it)."""
    User = get_user_model()
    user = delegate.user
    if user is None:
        email = delegate.email.lower()
        username = (
            email
            if email and not User.objects.filter(username__iexact=email).exists()
            else f"delegate-{delegate.pk}"
        )
        user = User(
            username=username,
            email=delegate.email,
            first_name=delegate.first_name[:150],
            last_name=delegate.last_name[:150],
        )
        user.set_unusable_password()
        user.save()
        delegate.user = user
        delegate.save(update_fields=["user"])
    elif user.email != delegate.email:
        # The secretariat's record decides where password-reset mail goes.
        user.email = delegate.email
        user.save(update_fields=["email"])
    return user


def delegate_password_reset_send(*, delegate: Delegate, request) -> bool:
    """Mail the delegate a link to choose their password, in the request's language. Their login
    is made, or its e-mail brought in line with the secretariat's record, only together with a
    mail that goes out: a refused mail changes no account. False if it was refused."""
    try:
        with transaction.atomic():
            user = delegate_user_ensure(delegate=delegate)
            context = {
                "user": user,
                "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
                "protocol": request.scheme,
                "domain": request.get_host(),
            }
            subject = " ".join(
                render_to_string("delegates/email/password_reset_subject.txt", context).split()
            )
            body = render_to_string("delegates/email/password_reset.txt", context)
            send_mail(subject, body, None, [delegate.email])
    except (smtplib.SMTPException, OSError) as error:
        # One line, no traceback: the address is not logged, the delegate's id is.
        logger.warning("a password-reset mail was not sent (delegate %s): %s", delegate.pk, error)
        return False
    return True


def _address_digest(email: str) -> str:
    return salted_hmac("delegates.password-reset", email.strip().lower()).hexdigest()


def _client_key(client: str | None) -> str:
    # The address as forum.security.client_ip_address tells it; longer is no address.
    return (client or "")[: PasswordResetRequest._meta.get_field("client").max_length]


def _password_reset_window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)


def password_reset_throttled(*, email: str, client: str | None) -> bool:
    """Whether this address, or this client, has had as many reset requests as the window
    allows; known and unknown addresses alike, so the answer says nothing of either."""
    by_address, by_client = Q(address_digest=_address_digest(email)), Q(client=_client_key(client))
    counts = PasswordResetRequest.objects.filter(
        by_address | by_client, requested_at__gte=_password_reset_window_start()
    ).aggregate(address=Count("pk", filter=by_address), client=Count("pk", filter=by_client))
    return (
        counts["address"] >= settings.PASSWORD_RESET_PER_ADDRESS
        or counts["client"] >= settings.PASSWORD_RESET_PER_CLIENT
    )


def password_reset_request_record(*, email: str, client: str | None) -> PasswordResetRequest:
    """Count a reset request; the ones the window no longer counts are removed."""
    PasswordResetRequest.objects.filter(requested_at__lt=_password_reset_window_start()).delete()
    reset_request = PasswordResetRequest(
        address_digest=_address_digest(email), client=_client_key(client)
    )
    reset_request.full_clean()
    reset_request.save()
    return reset_request


def delegate_link_sign_in(*, request, delegate: Delegate) -> None:
    """Sign the delegate in for the personal link they opened."""
    user = delegate_user_ensure(delegate=delegate)
    login(request, user, backend=SESSION_BACKEND)
    request.session[SESSION_LINK_KEY] = _key_fingerprint(delegate.access_key)


def delegate_link_session_valid(*, request, delegate: Delegate) -> bool:
    """False when this session was opened by a link that has since been replaced or revoked."""
    fingerprint = request.session.get(SESSION_LINK_KEY)
    if fingerprint is None:
        return True  # a password sign-in
    return bool(delegate.access_key) and secrets.compare_digest(
        fingerprint, _key_fingerprint(delegate.access_key)
    )


@dataclass
class LinkSendReport:
    sent: list[Delegate]
    failed: list[tuple[Delegate, str]]


def delegate_mail(*, delegate: Delegate, subject: str, body: str, connection=None) -> None:
    """Mail the delegate; DelegateMailNotSent with the reason when they have no address or the
    mail server refuses it."""
    if not delegate.email:
        raise DelegateMailNotSent(_("no e-mail address"))
    try:
        EmailMessage(subject, body, None, [delegate.email], connection=connection).send()
    except (smtplib.SMTPException, OSError) as error:
        raise DelegateMailNotSent(
            _("the mail server did not accept it: %(error)s") % {"error": error}
        ) from error


def delegate_link_send(*, delegate: Delegate, request) -> None:
    """Issue a new personal link and e-mail it in the delegate's language.

    Raises DelegateMailNotSent with the reason; then nothing changes and the old link still
    works (the new key is rolled back with the failed send).
    """
    if not delegate.email:
        raise DelegateMailNotSent(_("no e-mail address"))
    with transaction.atomic():
        token = delegate_link_issue(delegate=delegate)
        url = delegate_link_url(delegate=delegate, token=token, request=request)
        with translation.override(delegate.language):
            context = {
                "delegate": delegate,
                "url": url,
                "days": settings.DELEGATE_LINK_MAX_AGE_DAYS,
                "expires_on": timezone.localdate(
                    delegate.access_link_issued_at
                    + dt.timedelta(days=settings.DELEGATE_LINK_MAX_AGE_DAYS)
                ),
            }
            subject = " ".join(
                render_to_string("delegates/email/personal_link_subject.txt", context).split()
            )
            body = render_to_string("delegates/email/personal_link.txt", context)
        delegate_mail(delegate=delegate, subject=subject, body=body)


def delegate_links_send(*, delegates, request) -> LinkSendReport:
    """Send each delegate their personal link; one failure does not stop the rest."""
    report = LinkSendReport(sent=[], failed=[])
    for delegate in delegates:
        try:
            delegate_link_send(delegate=delegate, request=request)
        except DelegateMailNotSent as error:
            report.failed.append((delegate, str(error)))
        else:
            report.sent.append(delegate)
    return report


def delegate_calendar_secret_ensure(*, delegate: Delegate) -> str:
    """The secret of the delegate's calendar feed, made on first need."""
    if not delegate.calendar_secret:
        delegate_calendar_secret_reset(delegate=delegate)
    return delegate.calendar_secret


def delegate_calendar_secret_reset(*, delegate: Delegate) -> str:
    """A new calendar feed address; the old one answers 404 from now on."""
    delegate.calendar_secret = secrets.token_urlsafe(24)
    delegate.save(update_fields=["calendar_secret"])
    return delegate.calendar_secret


@transaction.atomic
def delegates_assign(*, delegates, event, role: str, participation: str = Participation.IN_PERSON):
    """Assign each delegate to `event` with `role`; returns (assignments made,
    [(delegate, why it was refused)]) — already assigned, or busy elsewhere at that time."""
    made, refused = [], []
    assigned = set(event.assignments.values_list("delegate_id", flat=True))
    for delegate in delegates:
        if delegate.pk in assigned:
            refused.append((delegate, _("already assigned to this event")))
            continue
        assignment = Assignment(
            delegate=delegate, event=event, role=role, participation=participation
        )
        try:
            assignment.full_clean()
        except ValidationError as error:
            refused.append((delegate, " ".join(error.messages)))
            continue
        assignment.save()
        made.append(assignment)
    return made, refused


def delegate_programme_seen(
    *, delegate: Delegate, entries: dict
) -> tuple[list[Change], dt.datetime | None]:
    """What changed in the delegate's programme (``entries``, as their page shows it now) since
    their last visit, none on the first, and until when those marks stay; records it as seen."""
    seen, created = ProgrammeSeen.objects.get_or_create(
        delegate=delegate, defaults={"entries": entries}
    )
    if created:
        return [], None
    now = timezone.now()
    changes = programme_changes(seen.entries, entries)
    if changes:
        seen.before, seen.changed_at = seen.entries, now
    else:
        changes = _marks_still_shown(seen, entries, now)
    if seen.entries != entries:
        # Titles and names, too, may have changed; they are no change to mark.
        seen.entries = entries
        seen.save()
    return changes, seen.changed_at + MARKS_KEPT if changes else None


def delegate_programme_unmarked(*, delegate: Delegate, entries: dict) -> bool:
    """Whether the delegate's page showing ``entries`` would mark nothing as changed since their
    last visit (and recording it would change no mark): then it may be made before they ask for
    it, recording nothing."""
    seen = ProgrammeSeen.objects.filter(delegate=delegate).first()
    if seen is None or programme_changes(seen.entries, entries):
        return False
    return not _marks_still_shown(seen, entries, timezone.now())


def _marks_still_shown(seen: ProgrammeSeen, entries: dict, now: dt.datetime) -> list[Change]:
    # The marks of the last change stay MARKS_KEPT, whether or not the page was seen since.
    if seen.before is not None and seen.changed_at and now - seen.changed_at < MARKS_KEPT:
        return programme_changes(seen.before, entries)
    return []


def delegates_link_keys_ensure(*, delegates) -> None:
    """A personal-link key, in one write, for each of these delegates who has none, so that
    links can be signed for their mails. A key alone opens nothing: only a link sent with it."""
    missing = [delegate for delegate in delegates if not delegate.access_key]
    now = timezone.now()
    for delegate in missing:
        delegate.access_key = secrets.token_urlsafe(24)
        delegate.access_link_issued_at = now
    # bulk_update: no history entry nor new programme version for a secret nobody reads.
    Delegate.objects.bulk_update(missing, ["access_key", "access_link_issued_at"], batch_size=500)


def delegate_link_token(*, delegate: Delegate) -> str:
    """A personal-link token with the delegate's current key, so the links they hold keep
    working; a new key (delegate_link_issue) only if they have none."""
    if not delegate.access_key:
        return delegate_link_issue(delegate=delegate)
    return _link_signer().sign_object({"d": delegate.pk, "k": delegate.access_key})


def delegate_page_url(*, delegate: Delegate, request) -> str:
    """The way to the delegate's page for a mail: their personal link, or the page itself for a
    delegate who signs in as staff (links never sign staff in)."""
    user = delegate.user
    if user is not None and (user.is_staff or user.is_superuser):
        with translation.override(delegate.language):
            return request.build_absolute_uri(reverse("me"))
    return delegate_link_url(
        delegate=delegate, token=delegate_link_token(delegate=delegate), request=request
    )
