from django.contrib.auth.forms import PasswordResetForm

from delegates.models import Delegate
from delegates.services import delegate_user_ensure


class DelegatePasswordResetForm(PasswordResetForm):
    """Password reset for delegates, by the e-mail the secretariat keeps for them.

    A delegate who has only ever used the personal link has a login with no password yet;
    the reset mail lets them choose one. Staff accounts reset their passwords elsewhere.
    """

    def get_users(self, email):
        delegates = Delegate.objects.filter(email__iexact=email.strip()).select_related("user")
        for delegate in delegates:
            user = delegate_user_ensure(delegate=delegate)
            if user.is_active and not (user.is_staff or user.is_superuser):
                yield user
