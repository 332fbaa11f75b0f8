from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from forum import views

urlpatterns = [
    path("", views.language_redirect, name="language-redirect"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("", include("delegates.urls")),
    prefix_default_language=True,
)
