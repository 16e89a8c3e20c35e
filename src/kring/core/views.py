from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from kring.accounts.models import Role
from kring.core.nav import start_url


@require_safe
def home(request):
    """The public front page; staff go straight to their start page."""
    if request.user.is_authenticated:
        return redirect(start_url(request.user))
    return render(request, "core/home.html")


@require_safe
@login_required
def research(request):
    """The researcher's start page; figures arrive with the research stage (R16)."""
    if request.user.role != Role.RESEARCHER:
        raise PermissionDenied
    return render(request, "core/research.html")


@require_safe
def health(request):
    """For load balancers: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
