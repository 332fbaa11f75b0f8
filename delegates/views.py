import functools
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from delegates.access import readable_document_file
from delegates.auth import SESSION_BACKEND
from delegates.calendar import delegate_calendar
from delegates.forms import DelegatePasswordResetForm
from delegates.models import Delegate
from delegates.page import page_html
from delegates.services import (
    DelegateLinkInvalid,
    delegate_calendar_secret_ensure,
    delegate_calendar_secret_reset,
    delegate_link_session_valid,
    delegate_link_sign_in,
    delegate_link_verify,
    password_reset_request_record,
    password_reset_throttled,
)
from documents.downloads import document_response
from forum.security import client_ip_address

logger = logging.getLogger(__name__)

LINK_STATUS = {"broken": 400, "expired": 410}


def _no_referrer(response):
    # The token must not travel on in a Referer header, not even to our own pages.
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def link_open(request, token):
    """A personal link shows one button; only its POST signs the delegate in (a mail scanner
    that follows the link signs nobody in and makes no login), then leaves the token's address."""
    try:
        delegate = delegate_link_verify(token=token)
    except DelegateLinkInvalid as error:
        response = render(
            request,
            "delegates/link_invalid.html",
            {"reason": error.reason},
            status=LINK_STATUS[error.reason],
        )
        return _no_referrer(response)
    if request.method == "POST":
        delegate_link_sign_in(request=request, delegate=delegate)
        return _no_referrer(redirect("me"))
    response = render(request, "delegates/link_open.html")
    # The origin, never the path: "no-referrer" would also make the button's POST say
    # "Origin: null", which the CSRF check refuses.
    response["Referrer-Policy"] = "strict-origin"
    return response


def _current_delegate(request):
    """The signed-in user's delegate, or None; a session from a replaced link is ended."""
    try:
        # Read with the user where the session says so (delegates.auth), else one query.
        delegate = request.user.delegate
    except Delegate.DoesNotExist:
        delegate = None
    if delegate and not delegate_link_session_valid(request=request, delegate=delegate):
        logout(request)
        return None
    return delegate


@never_cache
@require_safe
@login_required
def me(request):
    delegate = _current_delegate(request)
    if delegate is None:
        if not request.user.is_authenticated:
            messages.info(request, _("That personal link has been replaced. Please sign in."))
            return redirect("login")
        return render(request, "delegates/no_delegate.html")
    calendar_secret = delegate_calendar_secret_ensure(delegate=delegate)

    def render_page(programme_html, csrf_token):
        context = {
            "delegate": delegate,
            "calendar_secret": calendar_secret,
            "programme_html": programme_html,
        }
        if csrf_token is not None:
            # A placeholder, over the reader's token: delegates.page puts each reader's in.
            context["csrf_token"] = csrf_token
        return render_to_string("delegates/me.html", context, request)

    return HttpResponse(page_html(request=request, delegate=delegate, render=render_page))


@never_cache
@require_POST
@login_required
def calendar_reset(request):
    delegate = _current_delegate(request)
    if delegate is None:
        return redirect("me")
    delegate_calendar_secret_reset(delegate=delegate)
    messages.success(
        request,
        _("Your calendar has a new address. The old one no longer works: subscribe again."),
    )
    return redirect("me")


@never_cache
@require_safe
def calendar_feed(request, secret):
    # No login: calendar programs cannot sign in. The secret is the key; an unknown one is 404.
    delegate = Delegate.objects.filter(calendar_secret=secret).first()
    if delegate is None or not secret:
        raise Http404(_("No calendar at this address."))
    response = HttpResponse(
        delegate_calendar(delegate=delegate), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="forum-of-regions.ics"'
    return _no_referrer(response)


@never_cache
def document_download(request, pk, language, extension):
    """A document for participants, to whoever may read it (delegates.access); for anyone else,
    signed in or not, the same 404 as an address that leads nowhere."""
    delegate = _current_delegate(request) if request.user.is_authenticated else None
    document_file = readable_document_file(
        user=request.user,
        delegate=delegate,
        document_id=int(pk),
        language=language,
        format_=extension,
    )
    if document_file is None:
        raise Http404(_("No document at this address."))
    return _no_referrer(document_response(document_file))


@method_decorator(never_cache, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        # Checked by ModelBackend; the session reads the user with their delegate.
        form.get_user().backend = SESSION_BACKEND
        return super().form_valid(form)


class RedirectThen(HttpResponseRedirect):
    """A redirect that does ``then()`` once it has been sent: the WSGI server closes a response
    after the client has it all, so the client's wait never includes ``then``."""

    def __init__(self, url, *, then):
        super().__init__(url)
        self.then = then

    def close(self):
        then, self.then = self.then, None
        try:
            if then is not None:
                then()
        except Exception:
            logger.exception("the work after a response failed")
        finally:
            super().close()


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer, at the same speed, for every address: whether it is known, and the
    mail, are left for after the answer; requests are throttled per address and per client."""

    form_class = DelegatePasswordResetForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        email, client = form.cleaned_data["email"], client_ip_address(self.request)
        if password_reset_throttled(email=email, client=client):
            return self._throttled(form)
        password_reset_request_record(email=email, client=client)
        send = functools.partial(self._send, form, translation.get_language())
        return RedirectThen(self.get_success_url(), then=send)

    def _send(self, form, language: str) -> None:
        with translation.override(language):
            form.save(request=self.request)

    def _throttled(self, form):
        minutes = settings.PASSWORD_RESET_WINDOW_MINUTES
        form.add_error(
            None,
            ngettext(
                "Too many password-reset requests for this address or from your network. "
                "Please try again in %(minutes)d minute.",
                "Too many password-reset requests for this address or from your network. "
                "Please try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
        response = self.form_invalid(form)
        response.status_code = 429
        response["Retry-After"] = str(minutes * 60)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
