"""Conference mode on the case page (issue 10, point 1): for the case's coordinator, the way into
conference mode from the day the case is scheduled, and after the start how far the
conference is (started at, how many are present, the rounds done). Everyone else who may see
the case (the office, the team's manager) reads only that the conference took place, and when;
never a note. Registered with kring.cases.registry in conference.registration."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from kring.accounts.models import User
from kring.cases.models import Case
from kring.conference import policy
from kring.conference.queries import current_conference, present_participants
from kring.core.policy import options

NEXT_STEP = _("Go through the rounds, make the plan together, and let everyone sign it.")


def case_panel(case: Case, user: User) -> tuple[str, dict[str, Any]] | None:
    if case.state not in policy.AROUND_THE_CONFERENCE:
        return None
    may_run = policy.may_run(user, case)
    conference = current_conference(case, with_rounds=may_run is None)
    started = conference is not None and conference.started_at is not None
    # Before the meeting's day the coordinator reads on which day conference mode opens.
    waits = may_run is not None and may_run.code == policy.BEFORE_THE_DAY
    if may_run is not None and not started and not waits:
        return None
    context: dict[str, Any] = {
        "case": case,
        "conference": conference,
        "started": started,
        "may": options(run=may_run),
    }
    if conference is not None and started and may_run is None:
        rounds = list(conference.rounds.all())
        context["present"] = present_participants(conference).count()
        context["rounds_total"] = len(rounds)
        context["rounds_done"] = sum(1 for r in rounds if r.done_at is not None)
    return "conference/_mode_panel.html", context
