"""The questionnaires on the case page (issue 13, point 1; R16), registered with
kring.cases.registry in research.registration: for the case's coordinator and the manager of
its team, once the conference is recorded: per invited participant their name, which
questionnaire, and whether they filled it in (on paper or not), never what they answered; the
coordinator types in one filled in on paper (research.policy.may_answer_on_paper); both print the
blank questionnaire (may_print_questionnaire), the first and (when there is one) the second. Nobody else sees the panel."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from kring.accounts.models import User
from kring.cases.models import Case
from kring.conference.policy import coordinator_or_manager
from kring.core.policy import options
from kring.research import policy
from kring.research.forms import PRINT_ROLES
from kring.research.models import AnswerRole, Invitation


def case_panel(case: Case, user: User) -> tuple[str, dict[str, Any]] | None:
    if coordinator_or_manager(user, case) is not None:
        return None
    invitations = list(
        Invitation.objects.filter(record__case=case)
        .select_related("participant")
        .order_by("round", "participant__name", "pk")
    )
    if not invitations:
        return None
    rows = []
    for invitation in invitations:
        invitation.participant.case = case
        rows.append(
            {
                "invitation": invitation,
                "may": options(answer_on_paper=policy.may_answer_on_paper(user, invitation)),
            }
        )
    may_print = policy.may_print_questionnaire(user)
    return "research/_case_panel.html", {
        "case": case,
        "rows": rows,
        "answered": sum(1 for i in invitations if i.answered_at is not None),
        "roles": [(role, AnswerRole(role).label) for role in PRINT_ROLES],
        # The second questionnaire's paper version, when there is a second questionnaire.
        "second_round": settings.KRING_EVALUATION_SECOND_MONTHS > 0,
        "may": options(print_questionnaire=may_print),
    }
