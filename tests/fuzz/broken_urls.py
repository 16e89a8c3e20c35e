"""Two views that break the promise on purpose, so that the fuzz is seen to catch each way of
breaking it (test_every_input.py, test_the_fuzz_catches_*)."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import path

from kring.accounts.models import Team


def crashes(request):
    """A filter trusted as it comes: a 500 for anything that is not a small whole number."""
    return HttpResponse(str(int(request.GET.get("page", "")) % 7))


def refuses_after_writing(request):
    """An answer that says "error" after it has stored something."""
    Team.objects.create(name=f"Team {request.POST.get('name', '')[:40]}")
    return HttpResponseBadRequest("no")


urlpatterns = [
    path("crashes/", crashes),
    path("refuses-after-writing/", refuses_after_writing),
]
