"""Sign-in (password, then the second factor), the account page, logout."""

from urllib.parse import urlencode

import django_otp
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from kring.accounts import second_factor, sessions, throttle
from kring.accounts.forms import (
    CodeForm,
    ContactDetailsForm,
    KringPasswordChangeForm,
    LoginForm,
)
from kring.accounts.models import User
from kring.accounts.nav import NAV, start_url
from kring.accounts.password_change import change_own_password
from kring.audit.log import record
from kring.core.forms import posted
from kring.core.net import client_ip

# New recovery codes, sealed (second_factor.seal_for_display), until the page shows them once.
RECOVERY_CODES_SESSION_KEY = "kring_new_recovery_codes"


def _safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only: redirect() takes "0" or "x" for a view name (a 500).
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", lambda: False)())


def _after_password(request, user, next_url: str):
    """Where a user with a correct password goes: the second factor, or where they wanted."""
    if second_factor.required() and not _is_verified(user):
        name = "accounts:verify" if second_factor.has_totp_device(user) else "accounts:setup"
        return redirect(_with_next(reverse(name), next_url))
    return redirect(next_url or start_url(user))


def _lock_message(until) -> str:
    minutes = max(1, round((until - timezone.now()).total_seconds() / 60))
    return ngettext(
        "Too many failed attempts. You can try again after %(time)s (in about %(minutes)d minute).",
        "Too many failed attempts. You can try again after %(time)s (in about %(minutes)d "
        "minutes).",
        minutes,
    ) % {"time": date_format(timezone.localtime(until), "TIME_FORMAT"), "minutes": minutes}


def _refusal_message(refusal: throttle.Refusal) -> str:
    if refusal.counter == throttle.SLOWDOWN:
        return _(
            "There were many failed attempts to sign in with this username, so signing in with "
            "this username is slowed down. Try again after %(time)s."
        ) % {"time": date_format(timezone.localtime(refusal.until), "H:i:s")}
    return _lock_message(refusal.until)


def _wait_message(check: second_factor.CodeCheck) -> str:
    return ngettext(
        "Too many wrong codes in a row. Wait %(seconds)d second and try again.",
        "Too many wrong codes in a row. Wait %(seconds)d seconds and try again.",
        check.wait_seconds,
    ) % {"seconds": check.wait_seconds}


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request):
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return _after_password(request, request.user, next_url)
    notice = sessions.reason_text(request.session.pop(sessions.LOGOUT_REASON, None))
    form = LoginForm(data=posted(request))
    if form.is_valid():
        username = form.cleaned_data["username"]
        address = client_ip(request)
        target = User.objects.filter(username=username).first()
        # Attempts on a team member's account belong to that team's access log, where its
        # manager sees them marked as refused; an unknown name belongs to no team.
        team_id = target.team_id if target is not None else None
        attempt = throttle.begin(username, address, target)
        if attempt.refusal:
            # Refused even with the right password, until the lock or the wait has passed.
            record(
                "account.login_refused",
                obj=target,
                team_id=team_id,
                data={"counter": attempt.refusal.counter},
            )
            form.add_error(None, _refusal_message(attempt.refusal))
        else:
            # Counted already (begin): parallel guesses cannot pass the limit; given back below.
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                record("account.login_failed", obj=target, team_id=team_id)
                throttle.failed(attempt)
                form.add_error(None, _("The username or password is not correct."))
                if attempt.locks:
                    form.add_error(None, _refusal_message(attempt.locks))
            else:
                throttle.succeeded(attempt)
                login(request, user)
                sessions.start(request.session)
                record("account.login", actor=user, obj=user)
                if not second_factor.required():
                    throttle.remember_address(user, address)
                return _after_password(request, user, next_url)
    return render(
        request, "accounts/login.html", {"form": form, "next": next_url, "notice": notice}
    )


def _done(request, next_url: str):
    return redirect(next_url or start_url(request.user))


def _verified(request, device) -> None:
    django_otp.login(request, device)
    # Fully signed in: from this address a slowed-down username is not slowed down.
    throttle.remember_address(request.user, client_ip(request))
    # A new session key once fully signed in, like Django does after the password.
    request.session.cycle_key()


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """Step two for a user with an app: a code from the app, or a recovery code."""
    next_url = _safe_next(request)
    user = request.user
    if not second_factor.required() or user.is_verified():
        return _done(request, next_url)
    if not second_factor.has_totp_device(user):
        return redirect(_with_next(reverse("accounts:setup"), next_url))
    form = CodeForm(posted(request), allow_recovery=True)
    if form.is_valid():
        check = second_factor.check_code(user, form.cleaned_data["code"])
        if check.device is not None:
            _verified(request, check.device)
            if check.recovery:
                record("account.recovery_code_used", actor=user, obj=user)
                left = second_factor.remaining_recovery_codes(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code; %(count)d is left. Make new recovery codes "
                        "on your account page.",
                        "You used a recovery code; %(count)d are left. Make new recovery codes "
                        "on your account page.",
                        left,
                    )
                    % {"count": left},
                )
            else:
                record("account.second_factor", actor=user, obj=user)
            return _done(request, next_url)
        if check.wait_until:
            # Wrong recovery codes lock for minutes (accounts.throttle), app codes for seconds.
            wait = _lock_message(check.wait_until) if check.recovery else _wait_message(check)
            form.add_error("code", wait)
        else:
            record("account.second_factor_failed", actor=user, obj=user)
            form.add_error(
                "code",
                _(
                    "This code is not correct, or it has been used already. Enter the code "
                    "that your app shows now."
                ),
            )
            if check.locked_until:
                record("account.recovery_codes_locked", actor=user, obj=user)
                form.add_error("code", _lock_message(check.locked_until))
    return render(request, "accounts/verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request):
    """First sign-in: connect an authenticator app, confirm it with a code."""
    next_url = _safe_next(request)
    user = request.user
    if not second_factor.required():
        return _done(request, next_url)
    if second_factor.has_totp_device(user):
        if user.is_verified():
            return redirect("accounts:account")
        return redirect(_with_next(reverse("accounts:verify"), next_url))
    device = second_factor.pending_totp_device(user)
    form = CodeForm(posted(request), allow_recovery=False)
    if form.is_valid():
        check, codes = second_factor.confirm_totp_device(user, device, form.cleaned_data["code"])
        if check.device is not None:
            _verified(request, check.device)
            request.session[RECOVERY_CODES_SESSION_KEY] = second_factor.seal_for_display(codes)
            return redirect(_with_next(reverse("accounts:recovery_codes"), next_url))
        if check.wait_until:
            form.add_error("code", _wait_message(check))
        else:
            form.add_error(
                "code",
                _(
                    "This code is not correct. Check that the app was set up with the code "
                    "on this page and enter the code that it shows now."
                ),
            )
    context = {
        "form": form,
        "next": next_url,
        "qr": second_factor.qr_svg(device, label=_("QR code for your authenticator app")),
        "secret": second_factor.secret_groups(device),
    }
    return render(request, "accounts/setup.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def recovery_codes(request):
    """New recovery codes, shown once: they are taken out of the session as they are shown."""
    codes = second_factor.open_for_display(request.session.pop(RECOVERY_CODES_SESSION_KEY, None))
    context = {
        "codes": [second_factor.format_recovery_code(c) for c in codes],
        "continue_url": _safe_next(request) or start_url(request.user),
    }
    return render(request, "accounts/recovery_codes.html", context)


@login_required
@require_POST
def regenerate_recovery_codes(request):
    if not second_factor.required():
        return redirect("accounts:account")
    codes = second_factor.create_recovery_codes(request.user)
    record("account.recovery_codes_regenerated", actor=request.user, obj=request.user)
    request.session[RECOVERY_CODES_SESSION_KEY] = second_factor.seal_for_display(codes)
    return redirect("accounts:recovery_codes")


@login_required
@require_http_methods(["GET", "HEAD"])
def account(request):
    user = request.user
    device = second_factor.totp_device(user)
    context = {
        "account_user": user,
        "second_factor_required": second_factor.required(),
        "device": device,
        "recovery_left": second_factor.remaining_recovery_codes(user),
    }
    return render(request, "accounts/account.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contact_details(request):
    """The user's own work telephone number and e-mail address, and whether they are away:
    what participants see of them (issue 8, point 3; accounts.contact). Only their own: an
    administrator changes anyone's in /beheer/."""
    user = User.objects.get(pk=request.user.pk)
    form = ContactDetailsForm(posted(request), instance=user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            # Which fields changed, never their values (audit.log.record: no contact details).
            record(
                "account.contact_details_changed",
                actor=request.user,
                obj=user,
                data={"fields": sorted(form.changed_data)},
            )
        messages.success(request, _("Your contact details have been saved."))
        return redirect("accounts:account")
    return render(request, "accounts/contact_details.html", {"form": form})


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def password_change(request):
    # Required by an administrator (accounts.password_change): every page led here until now.
    required = request.user.must_change_password
    next_url = _safe_next(request)
    form = KringPasswordChangeForm(request.user, posted(request))
    if form.is_valid():
        user = change_own_password(form)
        # Keeps this session; the user's other sessions end (their password hash changed).
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect(next_url or start_url(user)) if required else redirect("accounts:account")
    context = {"form": form, "required": required, "next": next_url}
    return render(request, "accounts/password_change.html", context)


@require_POST
def logout_view(request):
    """Ends the session on the server (the database row is deleted), not just the cookie."""
    if request.user.is_authenticated:
        record("account.logout", actor=request.user, obj=request.user)
    logout(request)
    messages.success(request, _("You have been logged out."))
    return redirect("accounts:login")


@login_required
@require_http_methods(["GET", "HEAD"])
def no_role(request):
    """Where a signed-in user lands whose account has no role (or a role without pages): what
    is the matter and whom to ask. A user with a role goes on to their start page."""
    if NAV.get(request.user.role):
        return redirect(start_url(request.user))
    return render(request, "accounts/no_role.html", {"role": request.user.get_role_display()})
