"""Writing the plan (issue 10, points 2 and 4; R11, R12): begin it once the rounds are done, then
one function per change of the plan's own fields, its ideas and its agreements.

Each change is one transaction with the case locked, `policy.may_edit_plan` enforced, an audit
row (ids and the names of the changed fields, never the typed text) and the plan's `edit_count`
raised, so that a finalised version (conference.versions) knows a later change makes a draft of
the next one (R14).

Nothing typed is overwritten unseen: each editable row carries a `revision`, and a save sent
with an older revision than the row's raises `Conflict` with the row's current values and who
saved them when; the row is not changed. The check is the database's own compare-and-set
(`UPDATE … WHERE id = … AND revision = …`, one row affected), so it holds between processes on
PostgreSQL and SQLite alike. A save that changes nothing is no change at all (a field left
without typing, a page sending again what it sent), and rows made by the editor's page carry the
page's `client_id`, so a row sent again after a lost answer is not made twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import User
from kring.audit.actors import By, staff_user
from kring.audit.log import record
from kring.cases import actions as case_actions
from kring.circle.models import Participant
from kring.conference import actions, policy, queries
from kring.conference.inputs import NUL_MESSAGE, nul_refused
from kring.conference.models import Agreement, Conference, Idea, Plan
from kring.core.policy import enforce

Row = Plan | Idea | Agreement
RowT = TypeVar("RowT", Idea, Agreement)
SavedT = TypeVar("SavedT", Plan, Idea, Agreement)
Errors = dict[str, Any]

# How far ahead a date in the plan may be: further is a typing error (2072 for 2027).
FURTHEST = timedelta(days=5 * 366)

PLAN_FIELDS = ("good_outcome", "good_outcome_by", "evaluation_date", "if_not_kept")
IDEA_FIELDS = ("text", "brought_in_by")
AGREEMENT_FIELDS = (
    "what",
    "who",
    "who_other",
    "for_whom",
    "by_when",
    "how_checked",
    "prevents_repeat",
)


@dataclass
class Conflict(Exception):
    """A save sent with an older revision than the row's: someone (on another device) saved
    first. `values`: the row's values now (participants as ids, dates as ISO strings), to show
    beside what this page sent; `revision`: the row's revision now, to send again with."""

    kind: str
    pk: int
    revision: int
    values: dict[str, Any] = field(default_factory=dict)
    changed_by: str = ""
    changed_at: datetime | None = None

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} is at revision {self.revision}"


# --- the day of the conference -------------------------------------------------------------------


def meeting_day(conference: Conference) -> date:
    starts_at = conference.meeting.starts_at
    return timezone.localtime(starts_at).date() if starts_at else timezone.localdate()


# --- checks -------------------------------------------------------------------------------------


def _check_date(conference: Conference, value: date | None, name: str, errors: dict) -> None:
    if value is None:
        return
    day = meeting_day(conference)
    if value < day:
        errors[name] = _("Choose a date on or after the day of the conference.")
    elif value > day + FURTHEST:
        errors[name] = _("Choose a date within five years of the conference.")


def _check_length(model: type[Row], name: str, value: Any, errors: Errors) -> None:
    """A typed text fits its field: not too long, and no NUL character (PostgreSQL cannot
    store one: a message at the field instead of a 500)."""
    if nul_refused(value):
        errors[name] = NUL_MESSAGE
        return
    limit = model._meta.get_field(name).max_length  # type: ignore[union-attr]
    if isinstance(value, str) and limit and len(value) > limit:
        errors[name] = _("Write at most %(limit)d characters (now %(count)d).") % {
            "limit": limit,
            "count": len(value),
        }


def _check_present(
    conference: Conference,
    person: Participant | None,
    name: str,
    errors: Errors,
    *,
    harmed: bool = False,
) -> None:
    if person is None:
        return
    people = list(queries.present_participants(conference).select_related("supports"))
    allowed = queries.harmed_side(people) if harmed else people
    if person.pk not in {p.pk for p in allowed}:
        errors[name] = (
            _("Choose someone of the harmed side who is present.")
            if harmed
            else _("Choose someone who is present.")
        )


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _strip(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


# --- the values a conflict shows ----------------------------------------------------------------


def values_of(row: Plan | Idea | Agreement) -> dict[str, Any]:
    """The row's editable values, as the editor's page sends them (ids, ISO dates)."""
    names = {Plan: PLAN_FIELDS, Idea: IDEA_FIELDS, Agreement: AGREEMENT_FIELDS}[type(row)]
    out = {}
    for name in names:
        attname = row._meta.get_field(name).attname  # type: ignore[union-attr]
        value = getattr(row, attname)
        out[name] = value.isoformat() if isinstance(value, date) else value
    return out


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _conflict(kind: str, row: Plan | Idea | Agreement) -> Conflict:
    return Conflict(
        kind=kind,
        pk=row.pk,
        revision=row.revision,
        values=values_of(row),
        changed_by=_name(row.changed_by),
        changed_at=row.changed_at,
    )


# --- the actions --------------------------------------------------------------------------------


def _lock(conference_id: int, by: By) -> tuple[Conference, User | None]:
    """Lock the case (the order every action of a case takes), re-read the conference and
    enforce the policy."""
    conference = Conference.objects.select_related("case").get(pk=conference_id)
    conference = actions.locked(conference, with_rounds=False)
    enforce(policy.may_edit_plan(by, conference))
    return conference, staff_user(by)


def _changed(plan_id: int) -> None:
    """Every change of the plan or its rows counts: a finalised version is final while none
    came after it (R14)."""
    Plan.objects.filter(pk=plan_id).update(edit_count=F("edit_count") + 1)


def begin_plan(conference: Conference, *, by: By) -> Plan:
    """The plan of the conference, begun now (or the one begun before). R12: refused before the
    rounds are done (the policy), and the database refuses a plan row before then too
    (migration 0002)."""
    with transaction.atomic():
        conference, user = _lock(conference.pk, by)
        plan = Plan.objects.filter(conference=conference).first()
        if plan is not None:
            return plan
        assert user is not None  # the policy lets only the coordinator begin it
        plan = Plan.objects.create(case=conference.case, conference=conference, created_by=user)
        case_actions.log_event(conference.case, "conference.plan_begun", by=by, plan=plan.pk)
    return plan


def save_plan_fields(plan: Plan, *, revision: int, by: By, **changes: Any) -> Plan:
    """Save some of the plan's own fields (`good_outcome`, `good_outcome_by`,
    `evaluation_date`, `if_not_kept`) on top of `revision`."""
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"not a field of the plan: {', '.join(sorted(unknown))}")
    return _save_row(Plan, "plan", plan, revision, _strip(changes), by, _check_plan)


def _check_plan(conference: Conference, changes: dict[str, Any], errors: Errors) -> None:
    _check_date(conference, changes.get("evaluation_date"), "evaluation_date", errors)
    _check_present(
        conference, changes.get("good_outcome_by"), "good_outcome_by", errors, harmed=True
    )


def _save_row(
    model: type[SavedT],
    kind: str,
    row: SavedT,
    revision: int,
    changes: dict[str, Any],
    by: By,
    check: Callable[[Conference, dict[str, Any], Errors], None],
) -> SavedT:
    """Save `changes` of the plan's own fields or of one of its rows on top of `revision`: the
    database's compare-and-set, a Conflict when someone saved first, nothing when nothing
    changes; `check` adds the errors of the row's own rules."""
    plan = row if isinstance(row, Plan) else row.plan
    with transaction.atomic():
        conference, user = _lock(plan.conference_id, by)
        current = model.objects.select_related("changed_by").filter(pk=row.pk).first()
        if current is None:
            raise model.DoesNotExist
        errors: dict = {}
        for name, value in changes.items():
            _check_length(model, name, value, errors)
        check(conference, changes, errors)
        _raise(errors)
        changed = {k: v for k, v in changes.items() if getattr(current, k) != v}
        if not changed:
            return current
        updated = model.objects.filter(pk=row.pk, revision=revision).update(
            **changed, revision=F("revision") + 1, changed_by=user, changed_at=timezone.now()
        )
        if updated != 1:
            raise _conflict(kind, current)
        _changed(plan.pk)
        record(
            f"conference.{kind}_changed",
            actor=by,
            case=conference.case,
            obj=current,
            data={"fields": sorted(changed)},
        )
    return model.objects.get(pk=row.pk)


def _next_position(model: type[Idea] | type[Agreement], plan: Plan) -> int:
    highest = model.objects.filter(plan=plan).aggregate(n=Max("position"))["n"]
    return (highest or 0) + 1


def _made_before(model: type[RowT], plan: Plan, client_id: str | None) -> RowT | None:
    if not client_id:
        return None
    return model.objects.filter(plan=plan, client_id=client_id).first()


def add_idea(
    plan: Plan,
    *,
    text: str,
    brought_in_by: Participant | None = None,
    client_id: str | None = None,
    by: By,
) -> Idea:
    """An idea brought in by someone present (R11). A `client_id` sent before returns the idea
    made then."""
    text = text.strip()
    with transaction.atomic():
        conference, user = _lock(plan.conference_id, by)
        made = _made_before(Idea, plan, client_id)
        if made is not None:
            return made
        errors: dict = {}
        if not text:
            errors["text"] = _("Write the idea.")
        _check_length(Idea, "text", text, errors)
        _check_present(conference, brought_in_by, "brought_in_by", errors)
        _raise(errors)
        idea = Idea.objects.create(
            plan=plan,
            position=_next_position(Idea, plan),
            text=text,
            brought_in_by=brought_in_by,
            changed_by=user,
            changed_at=timezone.now(),
            **({"client_id": client_id} if client_id else {}),
        )
        _changed(plan.pk)
        record("conference.idea_added", actor=by, case=conference.case, obj=idea)
    return idea


def _check_idea(conference: Conference, changes: dict[str, Any], errors: Errors) -> None:
    if "text" in changes and not changes["text"]:
        errors["text"] = _("Write the idea, or remove it.")
    _check_present(conference, changes.get("brought_in_by"), "brought_in_by", errors)


def save_idea(idea: Idea, *, revision: int, by: By, **changes: Any) -> Idea:
    """Save an idea's `text` and who brought it in (`brought_in_by`) on top of `revision`."""
    unknown = set(changes) - set(IDEA_FIELDS)
    if unknown:
        raise TypeError(f"not a field of an idea: {', '.join(sorted(unknown))}")
    return _save_row(Idea, "idea", idea, revision, _strip(changes), by, _check_idea)


def _remove_row(model: type[RowT], kind: str, row: RowT, revision: int, by: By) -> None:
    with transaction.atomic():
        conference, _user = _lock(row.plan.conference_id, by)
        current = model.objects.select_related("changed_by").filter(pk=row.pk).first()
        if current is None:
            return  # removed already (a page sending its removal again)
        deleted, _rows = model.objects.filter(pk=row.pk, revision=revision).delete()
        if not deleted:
            raise _conflict(kind, current)
        _changed(current.plan_id)
        record(
            f"conference.{kind}_removed",
            actor=by,
            case=conference.case,
            data={"plan": current.plan_id, kind: current.pk},
        )


def remove_idea(idea: Idea, *, revision: int, by: By) -> None:
    """Take an idea out of the plan; refused as a conflict when it was changed since
    `revision`, so a removal never takes away text someone else just wrote."""
    _remove_row(Idea, "idea", idea, revision, by)


def _check_agreement(conference: Conference, changes: dict[str, Any], errors: Errors) -> None:
    if "what" in changes and not changes["what"]:
        errors["what"] = _("Write what is agreed, or remove the agreement.")
    if changes.get("who") is not None and changes.get("who_other"):
        errors["who_other"] = _("Choose someone who is present, or name someone else: not both.")
    _check_present(conference, changes.get("who"), "who", errors)
    _check_date(conference, changes.get("by_when"), "by_when", errors)


def add_agreement(
    plan: Plan,
    *,
    what: str,
    who: Participant | None = None,
    who_other: str = "",
    for_whom: str = "",
    by_when: date | None = None,
    how_checked: str = "",
    prevents_repeat: bool = False,
    client_id: str | None = None,
    by: By,
) -> Agreement:
    """An agreement (R11): who does what, for whom, by when, how it is checked, and whether it
    prevents a repeat. A `client_id` sent before returns the agreement made then."""
    values = _strip(
        {
            "what": what,
            "who": who,
            "who_other": who_other,
            "for_whom": for_whom,
            "by_when": by_when,
            "how_checked": how_checked,
            "prevents_repeat": prevents_repeat,
        }
    )
    with transaction.atomic():
        conference, user = _lock(plan.conference_id, by)
        made = _made_before(Agreement, plan, client_id)
        if made is not None:
            return made
        errors: dict = {}
        for name, value in values.items():
            _check_length(Agreement, name, value, errors)
        _check_agreement(conference, values, errors)
        _raise(errors)
        agreement = Agreement.objects.create(
            plan=plan,
            position=_next_position(Agreement, plan),
            changed_by=user,
            changed_at=timezone.now(),
            **values,
            **({"client_id": client_id} if client_id else {}),
        )
        _changed(plan.pk)
        record("conference.agreement_added", actor=by, case=conference.case, obj=agreement)
    return agreement


def save_agreement(agreement: Agreement, *, revision: int, by: By, **changes: Any) -> Agreement:
    """Save some fields of an agreement (AGREEMENT_FIELDS) on top of `revision`."""
    unknown = set(changes) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"not a field of an agreement: {', '.join(sorted(unknown))}")
    changes = _strip(changes)
    if changes.get("who") is not None and "who_other" not in changes:
        changes["who_other"] = ""  # choosing someone present replaces a name written before
    if changes.get("who_other") and "who" not in changes:
        changes["who"] = None
    return _save_row(Agreement, "agreement", agreement, revision, changes, by, _check_agreement)


def remove_agreement(agreement: Agreement, *, revision: int, by: By) -> None:
    """Take an agreement out of the plan; a conflict when it was changed since `revision`."""
    _remove_row(Agreement, "agreement", agreement, revision, by)


def move_agreement(agreement: Agreement, *, up: bool, by: By) -> None:
    """Move an agreement one place up (`up=True`) or down in the plan; at the top or the
    bottom nothing changes."""
    with transaction.atomic():
        conference, _user = _lock(agreement.plan.conference_id, by)
        current = Agreement.objects.filter(pk=agreement.pk).first()
        if current is None:
            return
        rows = list(Agreement.objects.filter(plan_id=current.plan_id).order_by("position", "pk"))
        index = next(i for i, row in enumerate(rows) if row.pk == current.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(rows):
            return
        rows[index], rows[other] = rows[other], rows[index]
        for position, row in enumerate(rows, start=1):
            if row.position != position:
                Agreement.objects.filter(pk=row.pk).update(position=position)
        _changed(current.plan_id)
        record(
            "conference.agreement_moved",
            actor=by,
            case=conference.case,
            obj=current,
            data={"up": up},
        )
