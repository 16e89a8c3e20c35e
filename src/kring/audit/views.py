from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from kring.accounts.models import Role
from kring.audit.forms import AuditFilterForm
from kring.audit.log import record
from kring.audit.models import AuditEvent
from kring.core.pagination import paginate


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


@require_safe
@login_required
def audit_log(request):
    """The access log of the manager's own team, filterable; newest first."""
    user = request.user
    if user.role != Role.MANAGER or user.team_id is None:
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None, team_id=user.team_id)
    events = AuditEvent.objects.filter(team_id=user.team_id).select_related(
        "actor", "case__referral"
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(actor=data["actor"])
        if data["action"]:
            events = events.filter(action__startswith=data["action"])
        if data["reference"]:
            events = events.filter(case__referral__reference__iexact=data["reference"].strip())
        if data["date_from"]:
            events = events.filter(at__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            events = events.filter(at__lt=_day_start(data["date_to"] + timedelta(days=1)))
    elif form.is_bound:
        events = events.none()
    page = paginate(request, events.order_by("-at", "-pk"), per_page=50)
    query = request.GET.copy()
    query.pop("page", None)
    record("audit.viewed", actor=user)
    return render(
        request, "audit/log.html", {"form": form, "page": page, "query": query.urlencode()}
    )
