"""How the plan is shown outside its editor (issue 10, points 3 and 7): the second screen, the
printout and the paper form. The plan itself is always rendered by `conference/_plan.html` from
its canonical dict (conference.content), whether the plan as it stands or a frozen version.

- `screen_state(case)`: one cheap query that tells the second screen whether anything it shows
  has changed since it last looked (the plan's edit count and revision, the paper mark).
- `as_date`: the canonical dict holds dates as ISO strings; the template filter
  (templatetags/conference_plan.py) turns them back into dates to format."""

from __future__ import annotations

from datetime import date

from django.db.models import Subquery

from kring.cases.models import Case
from kring.circle.models import shown_name
from kring.conference import queries
from kring.conference.models import Conference
from kring.scheduling.policy import taking_part


def as_date(value: str | date | None) -> date | None:
    """An ISO date of the canonical dict ("2027-10-14") as a date; anything else None."""
    if isinstance(value, date):
        return value
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def screen_state(case: Case) -> str:
    """What the second screen shows, as a short token of numbers (never content): it changes
    with every edit of the plan (edit_count, revision), when the plan begins, and when the plan
    is marked as made on paper. One query (the current meeting, conference.queries, as a
    subquery), whatever the size of the plan."""
    meeting = queries.current_meetings(case).values("pk")[:1]
    row = (
        Conference.objects.filter(meeting=Subquery(meeting))
        .values_list("pk", "on_paper", "plan__pk", "plan__edit_count", "plan__revision")
        .first()
    )
    if row is None:
        return "0"
    pk, on_paper, plan_pk, edit_count, revision = row
    return f"{pk}.{int(on_paper)}.{plan_pk or 0}.{edit_count or 0}.{revision or 0}"


def expected_names(case: Case, conference: Conference | None) -> list[str]:
    """The names on the paper form: once check-in has begun, who is present; before, everyone
    who takes part in the meeting (scheduling.policy.taking_part)."""
    if conference is not None:
        present = queries.present_participants(conference).values_list("name", flat=True)
        if present:
            return [shown_name(name) for name in present]
    names = taking_part(case).order_by("name", "pk").values_list("name", flat=True)
    return [shown_name(name) for name in names]


def meeting_date(case: Case, conference: Conference | None):
    """The start of the meeting the printout or the paper form is for: the conference's meeting,
    or before check-in the case's confirmed meeting (None when it has no date)."""
    if conference is not None:
        return conference.meeting.starts_at
    meeting = queries.confirmed_meeting(case)
    return meeting.starts_at if meeting is not None else None


def case_panel(case: Case, user) -> tuple[str, dict] | None:
    """The plan on paper, on the case page (cases.registry): the printout of the plan for the
    coordinator and the team's manager once a plan exists, and for the coordinator the paper
    form while the meeting is planned or under way. Nothing for anyone else."""
    from kring.conference import policy
    from kring.conference.models import Plan
    from kring.core.policy import options

    if case.state not in policy.AROUND_THE_CONFERENCE:
        return None
    may = options(
        read_plan=policy.may_read_plan(user, case),
        print_paper_form=policy.may_print_paper_form(user, case),
    )
    if not may["read_plan"] and not may["print_paper_form"]:
        return None
    conference = queries.current_conference(case)
    has_plan = conference is not None and Plan.objects.filter(conference=conference).exists()
    if not has_plan and not may["print_paper_form"]:
        return None
    return "conference/_paper_panel.html", {
        "case": case,
        "conference": conference,
        "has_plan": has_plan,
        "may": may,
    }
