from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kring.accounts import admin_audit
from kring.accounts.models import Role, Team, User
from kring.audit.forms import AuditFilterForm
from kring.audit.log import record
from kring.audit.models import AuditEvent
from kring.audit.policy import may_read_access_log
from kring.core.pagination import paginate
from kring.core.policy import enforce

REFUSED = "case.access_refused"
# Filter choices that stand for a set of actions rather than a prefix.
ACTION_GROUPS = {"admin": admin_audit.ADMIN_ACTIONS}


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _label(model, field: str) -> str:
    try:
        return capfirst(model._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


class _Describer:
    """Administration changes in plain words, in the reader's language: "Role: Coordinator →
    Manager". Reads only the codes, ids and values in the row (never a secret is there);
    names of users and teams are looked up for the whole page at once."""

    def __init__(self, events):
        user_ids, team_ids = set(), set()
        for event in events:
            data = event.data or {}
            if event.action.startswith("account."):
                user_ids.add(self._user_id(event))
            team_ids.add(data.get("team") if event.action.startswith("team.") else None)
            for key in ("values", "changes"):
                value = (data.get(key) or {}).get("team")
                if isinstance(value, dict):
                    team_ids.update([value.get("old"), value.get("new")])
                else:
                    team_ids.add(value)
        self.users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids - {None})}
        self.teams = dict(Team.objects.filter(pk__in=team_ids - {None}).values_list("pk", "name"))

    @staticmethod
    def _user_id(event):
        user_id = (event.data or {}).get("user")
        if user_id is None and event.object_type == "accounts.user" and event.object_id:
            user_id = int(event.object_id)
        return user_id

    def value(self, field: str, value) -> str:
        if value is None or value == "":
            return "—"
        if field == "role":
            return str(Role(value).label) if value in Role.values else str(value)
        if field == "team":
            return self.teams.get(value, f"#{value}")
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return str(value)

    def details(self, model, data: dict) -> list[str]:
        lines = [
            f"{_label(model, field)}: {self.value(field, value)}"
            for field, value in (data.get("values") or {}).items()
        ]
        lines += [
            f"{_label(model, field)}: {self.value(field, change.get('old'))} → "
            f"{self.value(field, change.get('new'))}"
            for field, change in (data.get("changes") or {}).items()
        ]
        if data.get("fields"):
            fields = ", ".join(str(_label(model, field)) for field in data["fields"])
            lines.append(_("Also changed: %(fields)s") % {"fields": fields})
        return lines

    def describe(self, event) -> tuple[str, list[str]]:
        """The summary and the lines of detail of one row; ("", []) for other rows."""
        action, data = event.action, event.data or {}
        if action == REFUSED:
            return _("Tried to open a case without access"), []
        if action not in admin_audit.ADMIN_ACTIONS:
            return "", []
        if action.startswith("team."):
            team_id = data.get("team")
            values = data.get("values") or {}
            name = self.teams.get(team_id) or values.get("name") or f"#{team_id}"
            summary = {
                admin_audit.TEAM_ADDED: _("Team added: %(name)s"),
                admin_audit.TEAM_CHANGED: _("Team changed: %(name)s"),
                admin_audit.TEAM_DELETED: _("Team deleted: %(name)s"),
            }[action]
            details = self.details(Team, data) if action == admin_audit.TEAM_CHANGED else []
            return summary % {"name": name}, details
        user_id = self._user_id(event)
        name = self.users.get(user_id) or data.get("username") or f"#{user_id}"
        if action == admin_audit.PASSWORD_SET and data.get("usable") is False:
            summary = _("Password sign-in switched off by an administrator: %(name)s")
        else:
            summary = {
                admin_audit.USER_ADDED: _("Account added: %(name)s"),
                admin_audit.USER_CHANGED: _("Account changed: %(name)s"),
                admin_audit.USER_DELETED: _("Account deleted: %(name)s"),
                admin_audit.PASSWORD_SET: _("Password set by an administrator: %(name)s"),
                admin_audit.SECOND_FACTOR_RESET: _("Second factor reset: %(name)s"),
            }[action]
        return summary % {"name": name}, self.details(User, data)


def _describe(events) -> None:
    describer = _Describer(events)
    for event in events:
        event.refused = event.action == REFUSED
        event.summary, event.details = describer.describe(event)


@require_safe
@login_required
def audit_log(request):
    """The access log of the manager's own team, filterable; newest first."""
    user = request.user
    enforce(may_read_access_log(user))
    form = AuditFilterForm(request.GET or None, team_id=user.team_id)
    events = AuditEvent.objects.filter(team_id=user.team_id).select_related(
        "actor", "case__referral"
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(actor=data["actor"])
        if data["action"] in ACTION_GROUPS:
            events = events.filter(action__in=ACTION_GROUPS[data["action"]])
        elif data["action"]:
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
    page.object_list = list(page.object_list)
    _describe(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    record("audit.viewed", actor=user)
    return render(
        request, "audit/log.html", {"form": form, "page": page, "query": query.urlencode()}
    )
