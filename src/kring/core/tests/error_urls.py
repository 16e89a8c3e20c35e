"""Kring's URLs plus those that only the error-page tests need: a view that fails (on a staff
address and on a personal link's), one that answers "too many tries", and one that sends a form
back with an error status."""

from django.http import HttpResponse
from django.urls import include, path

from kring.core import errors


def fails(request, token=None):
    raise RuntimeError("SELECT secret FROM audit_auditevent; /etc/kring/kring.env KRING_SECRET_KEY")


def sent_back(request):
    return HttpResponse("<p>Wat je typte: Daan heeft de fiets vernield.</p>", status=400)


def throttled(request):
    return errors.too_many_requests(request, retry_after=3600)


urlpatterns = [
    path("test-fout/", fails),
    path("p/<str:token>/test-fout/", fails),
    path("test-te-veel/", throttled),
    path("test-formulier-terug/", sent_back),
    path("", include("kring.urls")),  # by name: kring.urls sits above every layer
]

handler400 = "kring.core.errors.bad_request"
handler403 = "kring.core.errors.permission_denied"
handler404 = "kring.core.errors.page_not_found"
handler500 = "kring.core.errors.server_error"
