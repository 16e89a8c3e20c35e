"""The audit of /beheer/: every change an administrator makes to users and teams is written
to Kring's audit log with its old and new values, for the team it concerns (both teams when
a user moves), so that the team's manager sees it in the access log. A change that gives
someone access to a team's cases is e-mailed to that team's managers (docs/security.md).

Rows hold codes, ids and old and new values: never a password, a hash, a secret, or contact
details (of the other fields, only their names)."""

from django.urls import reverse

from kring.accounts.models import Role, User
from kring.audit.log import record
from kring.notifications.mail import queue_mail

# The audit actions written here; the access log filters on them ("administration changes").
USER_ADDED = "account.added"
USER_CHANGED = "account.changed"
USER_DELETED = "account.deleted"
PASSWORD_SET = "account.password_set"  # noqa: S105 - an action name, not a password
PASSWORD_CHANGE_REQUIRED = "account.password_change_required"  # noqa: S105 - an action name
SECOND_FACTOR_RESET = "account.second_factor_reset"  # written by second_factor.reset_second_factor
TEAM_ADDED = "team.added"
TEAM_CHANGED = "team.changed"
TEAM_DELETED = "team.deleted"
ADMIN_ACTIONS = (
    USER_ADDED,
    USER_CHANGED,
    USER_DELETED,
    PASSWORD_SET,
    PASSWORD_CHANGE_REQUIRED,
    SECOND_FACTOR_RESET,
    TEAM_ADDED,
    TEAM_CHANGED,
    TEAM_DELETED,
)

# What decides a user's access: logged with old and new values.
ACCESS_FIELDS = ("role", "team", "is_active", "is_staff", "is_superuser")
# Never logged, not even by name: the password hash, and dates the admin does not edit.
UNLOGGED_FIELDS = {"password", "last_login", "date_joined"}
# Logged in a row of their own, not also by name in "account.changed".
OWN_ROW_FIELDS = {"must_change_password"}
# Roles that see cases of their team (cases.access.visible_cases).
CASE_ROLES = {Role.OFFICE, Role.COORDINATOR, Role.MANAGER}
MAIL_CASE_ACCESS = "account.case_access_granted"


def access_values(user) -> dict:
    """The fields that decide what `user` may see, as codes and ids."""
    return {
        "role": user.role,
        "team": user.team_id,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }


def _record_for_teams(action: str, *, by, obj, team_ids, data: dict) -> None:
    """One row per affected team, so that each team's manager sees it; one row without a
    team when no team is concerned."""
    teams = sorted({team_id for team_id in team_ids if team_id is not None})
    for team_id in teams or [None]:
        record(action, actor=by, obj=obj, team_id=team_id, data=data)


def user_added(user, *, by) -> None:
    data = {
        "user": user.pk,
        "values": access_values(user),
        "password_set": user.has_usable_password(),
    }
    _record_for_teams(USER_ADDED, by=by, obj=user, team_ids=[user.team_id], data=data)
    _mail_if_case_access_granted(None, user, by=by)


def user_changed(old: dict, user, *, changed_fields, by) -> None:
    """`old` is `access_values` of the user as stored before the change; `changed_fields`
    the form's changed fields (only their names are logged, outside ACCESS_FIELDS)."""
    new = access_values(user)
    changes = {
        field: {"old": old[field], "new": new[field]}
        for field in ACCESS_FIELDS
        if old[field] != new[field]
    }
    others = sorted(set(changed_fields) - set(ACCESS_FIELDS) - UNLOGGED_FIELDS - OWN_ROW_FIELDS)
    if not changes and not others:
        return
    data: dict = {"user": user.pk}
    if changes:
        data["changes"] = changes
    if others:
        data["fields"] = others
    team_ids = [old["team"], new["team"]]
    _record_for_teams(USER_CHANGED, by=by, obj=user, team_ids=team_ids, data=data)
    _mail_if_case_access_granted(old, user, by=by)


def user_deleted(user, *, by) -> None:
    # The username stays in the row: once the account is gone, nothing else names it.
    data = {"user": user.pk, "username": user.get_username(), "values": access_values(user)}
    _record_for_teams(USER_DELETED, by=by, obj=user, team_ids=[user.team_id], data=data)


def password_set(user, *, by) -> None:
    """That an administrator set (or switched off) the password: never the value or hash."""
    data = {"user": user.pk, "usable": user.has_usable_password()}
    _record_for_teams(PASSWORD_SET, by=by, obj=user, team_ids=[user.team_id], data=data)


def password_change_required(user, *, required: bool, by) -> None:
    """That an administrator required (or no longer requires) a new password at the user's next
    sign-in (accounts.password_change)."""
    data = {"user": user.pk, "required": required}
    _record_for_teams(PASSWORD_CHANGE_REQUIRED, by=by, obj=user, team_ids=[user.team_id], data=data)


def team_added(team, *, by) -> None:
    data = {"team": team.pk, "values": {"name": team.name}}
    record(TEAM_ADDED, actor=by, obj=team, team_id=team.pk, data=data)


def team_changed(old_name: str, team, *, by) -> None:
    if old_name == team.name:
        return
    data = {"team": team.pk, "changes": {"name": {"old": old_name, "new": team.name}}}
    record(TEAM_CHANGED, actor=by, obj=team, team_id=team.pk, data=data)


def team_areas_changed(team, old: list[str], new: list[str], *, by) -> None:
    """The team's areas (accounts.models.TeamArea) as text, before and after: they decide
    which requests the team's office sees (issue 8, point 7)."""
    if old == new:
        return
    data = {"team": team.pk, "changes": {"areas": {"old": old, "new": new}}}
    record(TEAM_CHANGED, actor=by, obj=team, team_id=team.pk, data=data)


def team_deleted(team, *, by) -> None:
    data = {"team": team.pk, "values": {"name": team.name}}
    record(TEAM_DELETED, actor=by, obj=team, team_id=team.pk, data=data)


def gains_case_access(old: dict | None, user) -> bool:
    """True when `user` now holds a role that sees cases of a team (office, coordinator,
    manager) and did not hold that role in that team before (a new user, a new role, another
    team, or active again)."""
    new = access_values(user)
    if not (new["is_active"] and new["role"] in CASE_ROLES and new["team"] is not None):
        return False
    if old is None:
        return True
    before = (old["role"], old["team"], old["is_active"])
    return before != (new["role"], new["team"], new["is_active"])


def _mail_if_case_access_granted(old: dict | None, user, *, by) -> None:
    """Every active manager of the team (but the user themselves) is told who gave whom which
    role, in the manager's own language, with a link to the access log; no case content.
    Queued in the admin's transaction, sent after it commits."""
    if not gains_case_access(old, user):
        return
    managers = (
        User.objects.filter(team_id=user.team_id, role=Role.MANAGER, is_active=True)
        .exclude(pk=user.pk)
        .exclude(email="")
        .order_by("pk")
    )
    link = reverse("audit:log") + "?action=admin"
    for manager in managers:
        queue_mail(
            MAIL_CASE_ACCESS,
            to=manager.email,
            language=manager.language,
            context={
                "user": manager,
                "member": user,
                "by": by,
                "team": user.team,
                "link": link,
            },
        )
