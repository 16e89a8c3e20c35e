"""Who may read the access log (docs/rules.md "Roles"): a manager, for their own team. Beside
the access-log page in the top layer (.importlinter), since it reads the roles of accounts."""

from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Role
from kring.audit.actors import staff_user
from kring.core.policy import Refusal, deny


def may_read_access_log(actor) -> Refusal | None:
    user = staff_user(actor)
    if user is None or not user.is_active or user.role != Role.MANAGER or user.team_id is None:
        return deny("role", _("You are not allowed to do this."))
    return None
