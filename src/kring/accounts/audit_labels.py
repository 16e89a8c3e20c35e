"""How the access log names the rows this app writes: signing in, accounts and teams
(registered in accounts/apps.py with kring.audit.labels)."""

from django.utils.translation import gettext_lazy as _

from kring.accounts import admin_audit

# Attempts Kring refused: the access log marks them.
REFUSED = {
    "account.login_failed",
    "account.login_refused",
    "account.second_factor_failed",
}
LABELS = {
    "account.login": _("Signed in with the password"),
    "account.login_failed": _("Sign-in failed: wrong username or password"),
    "account.login_refused": _("Sign-in refused: too many failed attempts"),
    "account.locked": _("Sign-in locked after too many failed attempts"),
    "account.unlocked": _("Sign-in lock ended"),
    "account.slowed": _("Sign-in slowed down after many failed attempts from several addresses"),
    "account.slowdown_ended": _("Sign-in no longer slowed down"),
    "account.second_factor": _("Signed in with a code from the app"),
    "account.second_factor_failed": _("Wrong code from the app"),
    "account.recovery_code_used": _("Signed in with a recovery code"),
    "account.recovery_codes_locked": _("Recovery codes locked after too many wrong codes"),
    "account.recovery_codes_regenerated": _("Made new recovery codes"),
    "account.second_factor_setup": _("Set up the app for sign-in codes"),
    "account.password_changed": _("Changed their own password"),
    "account.contact_details_changed": _("Changed their own work contact details"),
    "account.session_expired": _("Signed out after a time-out"),
    "account.logout": _("Signed out"),
    admin_audit.USER_ADDED: _("Administrator added an account"),
    admin_audit.USER_CHANGED: _("Administrator changed an account"),
    admin_audit.USER_DELETED: _("Administrator deleted an account"),
    admin_audit.PASSWORD_SET: _("Administrator set a password"),
    admin_audit.PASSWORD_CHANGE_REQUIRED: _(
        "Administrator required a new password at next sign-in"
    ),
    admin_audit.SECOND_FACTOR_RESET: _("Administrator reset the sign-in app"),
    admin_audit.TEAM_ADDED: _("Administrator added a team"),
    admin_audit.TEAM_CHANGED: _("Administrator changed a team"),
    admin_audit.TEAM_DELETED: _("Administrator deleted a team"),
}
