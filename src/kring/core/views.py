from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe


@require_safe
def home(request):
    """The public front page; staff go straight to their start page (which one depends on
    their role: kring.accounts.nav)."""
    if request.user.is_authenticated:
        return redirect(request.user.start_url())
    return render(request, "core/home.html")


@require_safe
def health(request):
    """For load balancers: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
