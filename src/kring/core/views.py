from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from kring.core import health as checks


@require_safe
def home(request):
    """The public front page; staff go straight to their start page (which one depends on
    their role: kring.accounts.nav)."""
    if request.user.is_authenticated:
        return redirect(request.user.start_url())
    return render(request, "core/home.html")


def health(request):
    """The database, the task queue and the outbox (kring.core.health). Normally answered
    before any other middleware by kring.core.middleware.HealthCheckMiddleware."""
    return checks.response(request)
