from django.contrib.auth.forms import PasswordResetForm

from delegates.selectors import delegates_for_password_reset
from delegates.services import delegate_password_reset_send


class DelegatePasswordResetForm(PasswordResetForm):
    """Password reset for delegates, by the e-mail the secretariat keeps for them.

    A delegate who has only ever used the personal link has a login with no password yet (or
    none at all): the reset mail lets them choose one. Staff accounts reset theirs elsewhere.
    """

    def save(self, *, request, **unused):
        for delegate in delegates_for_password_reset(email=self.cleaned_data["email"]):
            delegate_password_reset_send(delegate=delegate, request=request)
