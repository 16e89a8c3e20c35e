"""Who may see the research figures (docs/rules.md "Roles"): researchers, anonymised figures
only. One function per page or action, as in every app (docs/adr/0005-one-policy-per-app.md)."""

from kring.accounts.models import Role
from kring.cases.policy import staff_role
from kring.core.policy import Refusal


def may_see_figures(actor) -> Refusal | None:
    return staff_role(actor, Role.RESEARCHER)
