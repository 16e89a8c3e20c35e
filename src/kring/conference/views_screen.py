"""The second screen (issue 10, point 3): the plan as it is being written, for a projector or a
shared screen, from the coordinator's own session (a second browser window). Nothing of the
case but the plan: no notes, no rounds, no absent people, no contact details.

The page polls `screen_content` every second (htmx) with the state it shows (`seen`, a token
of numbers from presentation.screen_state): the answer is 204 (nothing to swap) while nothing
changed, found with one query, and the rendered plan when it did. Opening the screen is logged
once (`conference.screen_viewed`); the polling is not: it shows the coordinator the plan they
are writing themselves (docs/architecture.md, "The second screen and the printout").

A screen left alone stops polling after the session's idle time without a change (status 286,
htmx's "stop polling"), so a forgotten projector window does not keep the session open."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kring.audit.log import record
from kring.cases.access import case_for
from kring.conference import content, policy, presentation, queries
from kring.conference.inputs import whole_number
from kring.core.policy import enforce

STOP_POLLING = 286  # htmx stops polling on this status (and swaps what it is given)


def _case(request, pk):
    case = case_for(request.user, pk)
    enforce(policy.may_show_second_screen(request.user, case))
    return case


def _context(case, *, token: str, paused: bool = False) -> dict:
    conference = queries.current_conference(case)
    plan = getattr(conference, "plan", None) if conference is not None else None
    query = urlencode({"seen": token, "since": int(time.time())})
    return {
        "case": case,
        "conference": conference,
        "content": content.canonical(plan) if plan is not None else None,
        "poll_url": f"{reverse('conference:screen_content', args=[case.pk])}?{query}",
        "paused": paused,
    }


@require_safe
@login_required
@never_cache
def screen(request, pk):
    """The full-window second screen."""
    case = _case(request, pk)
    context = _context(case, token=presentation.screen_state(case))
    record(
        "conference.screen_viewed",
        actor=request.user,
        case=case,
        obj=context["conference"] or case,
    )
    return render(request, "conference/screen.html", context)


def _since(request) -> int:
    """When the screen was opened (seconds since 1970); a missing or unreadable value counts as
    now, so that junk never stops the polling at once."""
    since = whole_number(request.GET.get("since"))
    return int(time.time()) if since is None else since


@require_safe
@login_required
@never_cache
def screen_content(request, pk):
    """The plan's part of the second screen: 204 while it shows what is current, the new
    content once something changed."""
    case = _case(request, pk)
    token = presentation.screen_state(case)
    if token == request.GET.get("seen"):
        if time.time() - _since(request) < settings.KRING_SESSION_IDLE_SECONDS:
            return HttpResponse(status=204)
        paused = render(
            request,
            "conference/_screen_content.html",
            _context(case, token=token, paused=True),
        )
        paused.status_code = STOP_POLLING
        return paused
    return render(request, "conference/_screen_content.html", _context(case, token=token))
