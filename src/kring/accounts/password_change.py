"""A new password at next sign-in (issue 14, point 4).

An administrator requires it (the action on the user list in /beheer/, or the checkbox on the
user's form); after the password and the second factor, every page leads the user to the
password change page until they have chosen a new password that passes the validators, which
clears the requirement. Both are in the audit log; never a password.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve, reverse

from kring.accounts import admin_audit, second_factor
from kring.accounts.middleware import _redirect
from kring.accounts.models import User
from kring.audit.log import record


def require_new_password(users: Iterable[User], *, by: Any) -> int:
    """Requires a new password at next sign-in of each of `users` who is not yet required to
    choose one; returns how many. Audited per user, for the user's team."""
    with transaction.atomic():
        chosen = User.objects.filter(pk__in=[u.pk for u in users], must_change_password=False)
        # Plain updates first, in one order, then the audit rows (which take the chain's lock):
        # no row is locked by this transaction while it waits for the chain. A user whom another
        # admin required at the same moment is counted and audited once, by whoever set it.
        required = [
            pk
            for pk in chosen.order_by("pk").values_list("pk", flat=True)
            if User.objects.filter(pk=pk, must_change_password=False).update(
                must_change_password=True
            )
        ]
        for user in User.objects.filter(pk__in=required).order_by("pk"):
            admin_audit.password_change_required(user, required=True, by=by)
    return len(required)


def change_own_password(form: PasswordChangeForm) -> User:
    """Saves the new password of a valid password change form (Django's, with Kring's
    validators) and clears a requirement to choose one; audited as the user's own change."""
    user = form.user
    with transaction.atomic():
        # FOR NO KEY UPDATE: the rows of this user's other transactions (a timeline line names
        # its actor) check their key at commit, while holding the audit chain's lock
        # (docs/adr/0012-audit-chain.md, "Deadlocks").
        was_required = (
            User.objects.select_for_update(no_key=True).get(pk=user.pk).must_change_password
        )
        user.must_change_password = False
        form.save(commit=False)  # sets the new hash on `user`
        # Only these fields: the rest of `user` may be older than an admin's change meanwhile.
        user.save(update_fields=["password", "must_change_password"])
        record(
            "account.password_changed",
            actor=user,
            obj=user,
            data={"required": True} if was_required else None,
        )
    return user


def _verified(user: Any) -> bool:
    """Past the second factor (django_otp's OTPMiddleware adds is_verified)."""
    return bool(getattr(user, "is_verified", lambda: False)())


class PasswordChangeRequiredMiddleware:
    """A user required to choose a new password reaches, once past the second factor, nothing
    but the password change page, logout, the language switch and static files (and the
    recovery codes shown once after setting up the app)."""

    # Exact URL names (a page below an open one, such as making new recovery codes below the
    # recovery codes page, is not open).
    OPEN_NAMES = frozenset(
        {
            "accounts:password_change",
            "accounts:login",
            "accounts:logout",
            "accounts:setup",
            "accounts:verify",
            "accounts:recovery_codes",
            "set_language",
        }
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _open(self, request: HttpRequest) -> bool:
        if settings.STATIC_URL and request.path.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in self.OPEN_NAMES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.must_change_password
            and (not second_factor.required() or _verified(user))
            and not self._open(request)
        ):
            sent: HttpResponse = _redirect(request, reverse("accounts:password_change"))
            return sent
        return self.get_response(request)
