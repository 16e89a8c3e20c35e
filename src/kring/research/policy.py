"""Who may do what in research (R16), now (ADR 0005): one function per page or action, None
when allowed or a Refusal (kring.core.policy). The actions and views enforce these; templates
read them through `options(...)`.

The rules, each defined once:

- `FIGURE_ROLES`: researchers read the figures of every team; a manager reads their own team's.
  Nobody else does. Figures never show a name or free text, and a figure from fewer than five
  conferences or answers is suppressed (research.figures.MIN_GROUP), for every role.
- `teams_for(actor)`: the teams whose figures an actor may read.
- Free-text answers (`Remark`) may name people: the manager of the team reads them, nobody
  else (not the researcher, not the coordinator).
- A questionnaire is answered once (`_unanswered`), by the participant themselves on their
  personal page, or typed in from paper by the case's coordinator, while the participant still
  takes part (`_taking_part`) and is not erased (circle.policy.not_erased).
- History is imported by a manager for their own team, or by an administrator, who may also
  make new teams (`may_create_teams`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Role, Team
from kring.audit.actors import ActorKind, actor_of, staff_user
from kring.cases.policy import staff_role, team_manager, the_coordinator
from kring.circle.models import HAS_LEFT
from kring.circle.policy import not_erased
from kring.core.policy import Refusal, deny, first, rule

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from kring.audit.actors import By
    from kring.circle.models import Participant
    from kring.research.models import Invitation

NOT_ALLOWED = _("You are not allowed to do this.")

# --- the rules, each once -----------------------------------------------------------------------

FIGURE_ROLES = (Role.RESEARCHER, Role.MANAGER)
IMPORT_ROLES = (Role.MANAGER, Role.ADMINISTRATOR)


def sees_every_team(actor: By) -> bool:
    """Whether `actor` reads the figures of every team (and so chooses among them): an active
    researcher."""
    user = staff_user(actor)
    return user is not None and user.is_active and user.role == Role.RESEARCHER


def teams_for(actor: By) -> QuerySet[Team]:
    """The teams whose figures `actor` may read: every team for a researcher, their own for a
    manager, none for anyone else."""
    user = staff_user(actor)
    if user is None or not user.is_active:
        return Team.objects.none()
    if sees_every_team(actor):
        return Team.objects.all()
    if user.role == Role.MANAGER and user.team_id is not None:
        return Team.objects.filter(pk=user.team_id)
    return Team.objects.none()


def _own_team(actor: By, team: Team | None) -> Refusal | None:
    """A manager only for their own team (`team` None: all the actor's teams)."""
    user = staff_user(actor)
    if user is None:
        return deny("role", NOT_ALLOWED)
    if user.role == Role.MANAGER and (
        user.team_id is None or (team is not None and team.pk != user.team_id)
    ):
        return deny("team", NOT_ALLOWED)
    return None


def _to_participant(actor: By) -> bool:
    """Whether a refusal's reason is read by the participant themselves (their own words, with
    "je"), not by staff."""
    return actor_of(actor).is_participant


def _taking_part(actor: By, participant: Participant) -> Refusal | None:
    if participant.status in HAS_LEFT:
        if _to_participant(actor):
            return rule(
                "left",
                _("You no longer take part, so this questionnaire is no longer for you."),
            )
        return rule("left", _("This person no longer takes part."))
    return None


def _unanswered(actor: By, invitation: Invitation) -> Refusal | None:
    if invitation.answered_at is not None:
        if _to_participant(actor):
            return rule("answered", _("You have filled in this questionnaire already. Thank you."))
        return rule("answered", _("This questionnaire has been filled in already."))
    return None


def _self(actor: By, participant: Participant) -> Refusal | None:
    acting = actor_of(actor)
    if not acting.is_participant or acting.participant_id != participant.pk:
        return deny("not_self", _("You can only do this for yourself."))
    return None


# --- the figures (issue 13, points 2, 4, 5) ------------------------------------------------------


def may_see_figures(actor: By, team: Team | None = None) -> Refusal | None:
    """The figures and their exports (CSV, XLSX): researchers for every team, a manager for
    their own (`team` None: whatever teams the actor may see)."""
    return first(lambda: staff_role(actor, *FIGURE_ROLES), lambda: _own_team(actor, team))


def may_read_remarks(actor: By, team: Team | None) -> Refusal | None:
    """The free-text answers of a team's questionnaires: its manager only."""
    return team_manager(actor, team)


# --- the historical import (issue 13, point 3) ---------------------------------------------------


def may_import_history(actor: By, team: Team | None = None) -> Refusal | None:
    """Import conferences from before Kring: a manager for their own team, an administrator
    for any (`team` None: whether the actor may import at all), and the command line (`kring
    import-history`, acting as the system), which runs with the server's own rights."""
    if actor_of(actor).kind == ActorKind.SYSTEM:
        return None
    return first(lambda: staff_role(actor, *IMPORT_ROLES), lambda: _own_team(actor, team))


def may_create_teams(actor: By) -> Refusal | None:
    """Make the teams an imported file names that do not exist yet: an administrator (and the
    command line, `kring import-history --create-teams`, acting as the system)."""
    acting = actor_of(actor)
    if acting.kind == ActorKind.SYSTEM:
        return None
    return staff_role(actor, Role.ADMINISTRATOR)


# --- the questionnaires (issue 13, point 1) ------------------------------------------------------


def may_read_questionnaires(actor: By, participant: Participant) -> Refusal | None:
    """The questionnaires on the personal page (those waiting and those done): the participant
    themselves."""
    return _self(actor, participant)


def may_answer(actor: By, invitation: Invitation) -> Refusal | None:
    """Fill in a questionnaire: the participant themselves on their personal page, once, while
    they take part. The coordinator types in one filled in on paper: may_answer_on_paper."""
    participant = invitation.participant
    return first(
        lambda: _self(actor, participant),
        lambda: not_erased(participant),
        lambda: _taking_part(actor, participant),
        lambda: _unanswered(actor, invitation),
    )


def may_answer_on_paper(actor: By, invitation: Invitation) -> Refusal | None:
    """Type in a questionnaire the participant filled in on paper: the case's coordinator,
    once, while the participant takes part."""
    participant = invitation.participant
    return first(
        lambda: the_coordinator(actor, participant.case),
        lambda: not_erased(participant),
        lambda: _taking_part(actor, participant),
        lambda: _unanswered(actor, invitation),
    )


def may_print_questionnaire(actor: By) -> Refusal | None:
    """The blank questionnaire on paper, per role: coordinators and managers (who hand it
    out)."""
    return staff_role(actor, Role.COORDINATOR, Role.MANAGER)
