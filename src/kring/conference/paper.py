"""A meeting held on paper (issue 10, point 7): when the tablet does not work, the meeting goes on
with the printed form (views_print.paper_form) and the coordinator types the plan in
afterwards. `mark_on_paper` says so, once; the plan, the second screen and the printout then
read "made on paper and typed in afterwards"."""

from django.db import transaction
from django.db.models import F

from kring.audit.actors import By
from kring.cases import actions as case_actions
from kring.conference import actions, policy
from kring.conference.models import Conference, Plan
from kring.core.policy import enforce


def mark_on_paper(conference: Conference, *, by: By) -> Conference:
    """Mark the conference's plan as made on paper and typed in afterwards: the coordinator, once
    the conference has begun, until the plan is signed. The mark is part of the plan's canonical
    form, so a plan that exists counts one edit more (a final version is then a draft again,
    and the next version carries the mark)."""
    with transaction.atomic():
        conference = actions.locked(conference, with_rounds=False)
        case = conference.case
        enforce(policy.may_mark_on_paper(by, conference))
        conference.on_paper = True
        conference.save(update_fields=["on_paper"])
        Plan.objects.filter(conference=conference).update(edit_count=F("edit_count") + 1)
        case_actions.log_event(case, "conference.marked_on_paper", by=by, conference=conference.pk)
    return conference
