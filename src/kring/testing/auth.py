"""Signing in for tests.

- `login_verified(client, user)` goes through the real pages: password, then the second factor
  (setting up an authenticator app first if the user has none), with real TOTP codes.
- `force_verified_login(client, user)` is the fast way for tests that are not about signing in.
"""

import time

from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP

from kring.accounts import second_factor
from kring.accounts.models import RecoveryCode, SealedTOTPDevice
from kring.testing.users import PASSWORD


def totp_code(device: SealedTOTPDevice, *, at: float | None = None) -> str:
    """The code the user's app shows at `at` (default: now), as a string of `digits` digits."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def fresh_totp_code(device: SealedTOTPDevice) -> str | None:
    """A code the server still accepts: TOTP codes are single-use (last_t), so after an
    earlier login in the same 30 seconds take the next step (within the device's tolerance)."""
    device.refresh_from_db()
    now = time.time()
    current_t = int((now - device.t0) // device.step) + device.drift
    step_t = max(current_t, device.last_t + 1)
    if step_t > current_t + device.tolerance:
        return None
    return totp_code(device, at=device.t0 + (step_t - device.drift) * device.step)


def confirmed_device(user) -> SealedTOTPDevice:
    device = SealedTOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = SealedTOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device


def add_recovery_code(user) -> str:
    """One more unused recovery code for `user` (their other codes stay valid); returns it."""
    code = second_factor.new_recovery_code()
    RecoveryCode.objects.create(
        user=user, code_hash=second_factor.recovery_code_hash(user.pk, code)
    )
    return code


def login_verified(client, user, password: str = PASSWORD):
    """Log in through the login page and the second-factor pages; returns the last response."""
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": password}
    )
    assert response.status_code == 302, "the password was not accepted"
    if response.url.startswith(reverse("accounts:setup")):
        client.get(reverse("accounts:setup"))  # shows the QR code: creates the pending device
        device = SealedTOTPDevice.objects.get(user=user, confirmed=False)
        response = client.post(reverse("accounts:setup"), {"code": totp_code(device)})
        assert response.status_code == 302, "setting up the authenticator app failed"
        return client.get(response.url)  # the recovery codes, shown once
    if response.url.startswith(reverse("accounts:verify")):
        device = SealedTOTPDevice.objects.get(user=user, confirmed=True)
        code = fresh_totp_code(device)
        if code is None:  # every acceptable step is used up: a recovery code instead
            code = add_recovery_code(user)
        response = client.post(reverse("accounts:verify"), {"code": code})
        assert response.status_code == 302, "the verification code was not accepted"
    return response


def force_verified_login(client, user) -> None:
    """client.force_login plus a confirmed TOTP device marked as used in this session."""
    client.force_login(user)
    device = confirmed_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
