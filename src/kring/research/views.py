from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kring.core.policy import enforce
from kring.research.policy import may_see_figures


@require_safe
@login_required
def home(request):
    """The researcher's start page; figures arrive with the research stage (R16)."""
    enforce(may_see_figures(request.user))
    return render(request, "research/home.html")
