"""The office's pages in scheduling (issue 9, points 1 and 8): the team's venues, and its week
calendar of meetings. The office and the manager of a team see their own team's only
(scheduling.policy); another team's venue is a 404, any other role a 403. Views parse input,
call one action from scheduling.venues, and redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kring.audit.log import record
from kring.core.forms import posted
from kring.core.pagination import paginate
from kring.core.policy import Refused, enforce, options
from kring.scheduling import calendar, policy, venues
from kring.scheduling.models import Venue
from kring.scheduling.venue_forms import VenueForm

FORM_METHODS = ["GET", "HEAD", "POST"]


def _venue(request, pk) -> Venue:
    """A venue of the user's own team: the role is checked first (403), then the team (404)."""
    enforce(policy.may_manage_venues(request.user, request.user.team))
    return get_object_or_404(Venue, pk=pk, team_id=request.user.team_id)


@require_safe
@login_required
def venue_list(request):
    """The team's venues: those in use first, then the retired ones, apart."""
    team = request.user.team
    enforce(policy.may_manage_venues(request.user, team))
    page = paginate(
        request,
        Venue.objects.filter(team=team).order_by(
            F("retired_at").asc(nulls_first=True), "name", "pk"
        ),
    )
    for venue in page:
        venue.may = options(edit=policy.may_edit_venue(request.user, venue))
    return render(
        request,
        "scheduling/venue_list.html",
        {
            "page": page,
            "team": team,
            "may": options(add=policy.may_manage_venues(request.user, team)),
        },
    )


def _save(request, form, act, done_message):
    if request.method == "POST" and form.is_valid():
        try:
            venue = act(form.cleaned_data)
        except Refused as exc:
            form.add_error(None, exc.reason)
        else:
            messages.success(request, done_message % {"name": venue.name})
            return redirect("scheduling:venues")
    return None


@require_http_methods(FORM_METHODS)
@login_required
def venue_add(request):
    team = request.user.team
    enforce(policy.may_manage_venues(request.user, team))
    form = VenueForm(posted(request))
    return _save(
        request,
        form,
        lambda data: venues.add_venue(team, by=request.user, **data),
        _("%(name)s is added to the venues."),
    ) or render(request, "scheduling/venue_form.html", {"form": form, "venue": None})


@require_http_methods(FORM_METHODS)
@login_required
def venue_edit(request, pk):
    venue = _venue(request, pk)
    enforce(policy.may_edit_venue(request.user, venue))
    form = VenueForm(posted(request), instance=Venue.objects.get(pk=venue.pk))
    return _save(
        request,
        form,
        lambda data: venues.update_venue(venue, by=request.user, **data),
        _("The details of %(name)s are saved."),
    ) or render(
        request,
        "scheduling/venue_form.html",
        {
            "form": form,
            "venue": venue,
            "may": options(
                retire=policy.may_retire_venue(request.user, venue),
                reinstate=policy.may_reinstate_venue(request.user, venue),
            ),
        },
    )


@require_POST
@login_required
def venue_retire(request, pk):
    venue = _venue(request, pk)
    try:
        venues.retire_venue(venue, by=request.user)
    except Refused as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(
            request,
            _("%(name)s is out of use. Its meetings keep it; it is no longer offered for a date.")
            % {"name": venue.name},
        )
    return redirect("scheduling:venues")


@require_POST
@login_required
def venue_reinstate(request, pk):
    venue = _venue(request, pk)
    try:
        venues.reinstate_venue(venue, by=request.user)
    except Refused as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, _("%(name)s is in use again.") % {"name": venue.name})
    return redirect("scheduling:venues")


@require_safe
@login_required
def week_calendar(request):
    """The team's week: a row per venue, a column per day (Monday to Sunday, Europe/Amsterdam),
    each confirmed meeting with its case reference and coordinator only."""
    team = request.user.team
    enforce(policy.may_view_calendar(request.user, team))
    week = calendar.week_of(request.GET.get("week"))
    grid = calendar.week_grid(team, week)
    record("scheduling.calendar_viewed", actor=request.user, team_id=team.pk)
    return render(request, "scheduling/calendar.html", {"team": team, "week": grid})
