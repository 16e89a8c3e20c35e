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
from kring.audit import labels
from kring.audit.actors import ActorKind
from kring.audit.forms import REFUSED_GROUP, AuditFilterForm
from kring.audit.log import record
from kring.audit.models import AuditEvent, ChainCheck
from kring.audit.policy import may_read_access_log
from kring.cases import presentation as _timeline  # noqa: F401 - registers the timeline labels
from kring.cases import registry
from kring.cases.access import visible_cases
from kring.circle.models import Participant
from kring.core.pagination import paginate
from kring.core.policy import enforce

# The chain is checked every hour (audit.tasks): an older last check means the task stopped.
CHAIN_CHECK_STALE_AFTER = timedelta(hours=3)

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
        elif action == admin_audit.PASSWORD_CHANGE_REQUIRED and data.get("required") is False:
            summary = _("New password at next sign-in no longer required: %(name)s")
        else:
            summary = {
                admin_audit.USER_ADDED: _("Account added: %(name)s"),
                admin_audit.USER_CHANGED: _("Account changed: %(name)s"),
                admin_audit.USER_DELETED: _("Account deleted: %(name)s"),
                admin_audit.PASSWORD_SET: _("Password set by an administrator: %(name)s"),
                admin_audit.PASSWORD_CHANGE_REQUIRED: _(
                    "New password required at next sign-in: %(name)s"
                ),
                admin_audit.SECOND_FACTOR_RESET: _("Second factor reset: %(name)s"),
            }[action]
        return summary % {"name": name}, self.details(User, data)


def kind_label(kind: str) -> str:
    """How the access log names a kind of row: the label its app registered
    (kring.audit.labels), else its timeline label (kring.cases.registry), else the code made
    readable (a test fails for every kind in the code that would come to that)."""
    label = labels.label(kind)
    if label is None and registry.event_label(kind) != kind:
        label = registry.event_label(kind)
    return str(label) if label is not None else labels.readable(kind)


def _role(event) -> str:
    """The role in which someone acted, as the reader calls it: "coördinator", "deelnemer
    (persoonlijke pagina)"."""
    if event.actor_kind == ActorKind.PARTICIPANT:
        return _("participant, personal page")
    if event.actor_role in Role.values:
        return str(Role(event.actor_role).label).lower()
    return ""


class _Who:
    """Who acted, with the names this reader may see: staff by name; a participant by name
    only in a case the reader may open (cases.access.visible_cases), otherwise "a
    participant". One query for the cases and one for the names, whatever the number of rows."""

    def __init__(self, user, events):
        case_ids = {event.case_id for event in events if event.case_id is not None}
        self.open_cases = set(
            visible_cases(user).filter(pk__in=case_ids).values_list("pk", flat=True)
        )
        participant_ids = {
            pk
            for event in events
            if event.case_id in self.open_cases
            for pk in (event.actor_participant_id, event.for_participant_id)
            if pk is not None
        }
        rows = Participant.objects.filter(
            pk__in=participant_ids, case_id__in=self.open_cases
        ).values_list("pk", "name")
        self.names = dict(rows) if participant_ids else {}

    def name(self, event) -> str:
        if event.actor_kind == ActorKind.PARTICIPANT:
            words = self.names.get(event.actor_participant_id) or _("a participant")
            minor = self.names.get(event.for_participant_id)
            if minor is not None:
                words = _("%(name)s (parent or guardian), for %(minor)s") % {
                    "name": words,
                    "minor": minor,
                }
            return str(words)
        if event.actor_kind == ActorKind.SYSTEM:
            return _("Kring (automatic)")
        if event.actor_kind == ActorKind.REQUESTER:
            return capfirst(str(ActorKind.REQUESTER.label))
        if event.actor is not None:
            return str(event.actor)
        if event.actor_id is not None:
            return _("Account %(number)s (deleted)") % {"number": event.actor_id}
        return _("Someone not signed in")


def _describe(user, events) -> None:
    describer = _Describer(events)
    who = _Who(user, events)
    refused = labels.refused_kinds()
    for event in events:
        event.label = kind_label(event.action)
        event.refused = event.action in refused
        event.who = who.name(event)
        event.role = _role(event)
        event.case_link = event.case_id in who.open_cases
        event.summary, event.details = describer.describe(event)


def _filtered(events, data):
    if data["actor"]:
        events = events.filter(actor=data["actor"])
    if data["action"] == REFUSED_GROUP:
        events = events.filter(action__in=labels.refused_kinds())
    elif data["action"] in ACTION_GROUPS:
        events = events.filter(action__in=ACTION_GROUPS[data["action"]])
    elif data["action"]:
        events = events.filter(action__startswith=data["action"])
    if data["reference"]:
        events = events.filter(case__referral__reference=data["reference"])
    if data["date_from"]:
        events = events.filter(at__gte=_day_start(data["date_from"]))
    if data["date_to"]:
        events = events.filter(at__lt=_day_start(data["date_to"] + timedelta(days=1)))
    return events


@require_safe
@login_required
def audit_log(request):
    """The access log of the manager's own team, filterable by person, case, kind and dates;
    newest first. The filters stay in the page links."""
    user = request.user
    enforce(may_read_access_log(user))
    form = AuditFilterForm(request.GET or None, team_id=user.team_id)
    events = AuditEvent.objects.filter(team_id=user.team_id).select_related(
        "actor", "case__referral"
    )
    if form.is_bound and form.is_valid():
        events = _filtered(events, form.cleaned_data)
    elif form.is_bound:
        events = events.none()
    page = paginate(request, events.order_by("-at", "-pk"), per_page=50)
    page.object_list = list(page.object_list)
    _describe(user, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    record("audit.viewed", actor=user)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "query": query.urlencode(), "chain": _chain_status()},
    )


def _chain_status() -> dict:
    """Whether the audit log's chain verifies, from the latest check the hourly task stored
    (kring.audit.chain): never walked here."""
    check = ChainCheck.objects.order_by("-at", "-pk").first()
    if check is None:
        return {"state": "unchecked"}
    if not check.ok:
        return {"state": "broken", "at": check.at}
    if timezone.now() - check.at > CHAIN_CHECK_STALE_AFTER:
        return {"state": "stale", "at": check.at}
    return {"state": "ok", "at": check.at}
