from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("kring.core.urls")),
    path("", include("kring.referrals.urls")),
    path("", include("kring.cases.urls")),
    path("", include("kring.circle.urls")),
    path("", include("kring.portal.urls")),
    path("", include("kring.scheduling.urls")),
    path("", include("kring.conference.urls")),
    path("", include("kring.signing.urls")),
    path("", include("kring.followup.urls")),
    path("", include("kring.research.urls")),
    path("", include("kring.privacy.urls")),
    path("account/", include("kring.accounts.urls")),
    path("team/logboek/", include("kring.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
]

# Kring's error pages, in its layout and the visitor's language (kring.core.errors).
handler400 = "kring.core.errors.bad_request"
handler403 = "kring.core.errors.permission_denied"
handler404 = "kring.core.errors.page_not_found"
handler500 = "kring.core.errors.server_error"
