from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kring.accounts.models import Role


@require_safe
@login_required
def home(request):
    """The researcher's start page; figures arrive with the research stage (R16)."""
    if request.user.role != Role.RESEARCHER:
        raise PermissionDenied
    return render(request, "research/home.html")
