from django.contrib.auth import views as auth_views
from django.urls import path, re_path, register_converter

from delegates import views
from documents.downloads import FILE_PATH


class TokenConverter:
    """A signed token or a secret: URL-safe base64 and the signer's colons, nothing else.

    Anything else (a NUL byte, say) is a plain 404 before it reaches the database.
    """

    regex = r"[A-Za-z0-9_:-]{1,300}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TokenConverter, "token")

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/link/<token:token>/", views.link_open, name="delegate-link"),
    path("me/calendar/reset/", views.calendar_reset, name="me-calendar-reset"),
    path("me/calendar/<token:secret>.ics", views.calendar_feed, name="me-calendar"),
    re_path(rf"^me/documents/{FILE_PATH}$", views.document_download, name="me-document"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
