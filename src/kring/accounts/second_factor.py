"""The second factor: a TOTP app (django-otp's TOTPDevice) plus single-use recovery codes
(django-otp's StaticDevice). Mandatory for every staff role, except in demo mode."""

import math
import re
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kring.audit.log import record

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"
ISSUER = "Kring"
_TOTP_FORMAT = re.compile(r"^\d{6}$")


def required() -> bool:
    """The demo switch (settings.DEMO_MODE) is the only way to go without a second factor."""
    return not settings.DEMO_MODE


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_totp_device(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed device shown during setup; the same one on every reload, so that a
    scanned QR code stays valid until the user confirms it."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(
        device__user=user, device__confirmed=True, device__name=RECOVERY_DEVICE_NAME
    ).count()


def normalise_code(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "").lower()


def format_recovery_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def secret_groups(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def config_url(device: TOTPDevice) -> str:
    label = quote(f"{ISSUER}:{device.user.get_username()}")
    params = urlencode(
        {
            "secret": b32encode(device.bin_key).decode("ascii").rstrip("="),
            "issuer": ISSUER,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{params}"


def qr_svg(device: TOTPDevice, *, label: str) -> SafeString:
    """The setup QR code as inline SVG: paths and presentation attributes only, no style
    attribute (the Content-Security-Policy allows no inline style)."""
    image = qrcode.make(config_url(device), image_factory=qrcode.image.svg.SvgPathFillImage)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r"\sstyle=\"[^\"]*\"", "", svg)  # defensive: other qrcode versions may add one
    svg = svg.replace("<svg ", '<svg role="img" focusable="false" aria-labelledby="qr-title" ', 1)
    opening_end = svg.index(">") + 1
    title = f'<title id="qr-title">{escape(label)}</title>'
    return mark_safe(svg[:opening_end] + title + svg[opening_end:])  # noqa: S308 - generated


@dataclass
class CodeCheck:
    device: Device | None = None
    wait_until: datetime | None = None
    recovery: bool = False

    @property
    def wait_seconds(self) -> int:
        if self.wait_until is None:
            return 0
        return max(1, math.ceil((self.wait_until - timezone.now()).total_seconds()))


def _check(device: Device, code: str, *, recovery: bool = False) -> CodeCheck:
    """django-otp's throttling: after a wrong code the device refuses codes for 1, 2, 4, ...
    seconds. A TOTP code is accepted once only: TOTPDevice.last_t refuses earlier time steps."""
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, info = device.verify_is_allowed()
        if not allowed:
            return CodeCheck(wait_until=(info or {}).get("locked_until"), recovery=recovery)
        if device.verify_token(code):
            return CodeCheck(device=device, recovery=recovery)
    return CodeCheck(recovery=recovery)


def check_code(user, raw_code: str) -> CodeCheck:
    """A six-digit code goes to the app, anything else to the recovery codes; so a recovery
    code never counts as a failed app code and the other way round."""
    code = normalise_code(raw_code)
    if _TOTP_FORMAT.match(code):
        device = totp_device(user)
        return _check(device, code) if device else CodeCheck()
    device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    return _check(device, code, recovery=True) if device else CodeCheck(recovery=True)


def create_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes by RECOVERY_CODE_COUNT new ones (shown to them once)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = []
        while len(codes) < RECOVERY_CODE_COUNT:
            code = StaticToken.random_token()
            if code not in codes:
                codes.append(code)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def confirm_totp_device(user, device: TOTPDevice, raw_code: str) -> tuple[CodeCheck, list[str]]:
    """Setup: the first correct code confirms the app; the recovery codes are made at once."""
    code = normalise_code(raw_code)
    if not _TOTP_FORMAT.match(code):
        return CodeCheck(), []
    check = _check(device, code)
    if check.device is None:
        return check, []
    with transaction.atomic():
        device = check.device
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = create_recovery_codes(user)
        record("account.second_factor_setup", actor=user, obj=user)
    return check, codes


def reset_second_factor(user, *, by) -> None:
    """An administrator removes a lost app and its recovery codes; the user sets up anew."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record("account.second_factor_reset", actor=by, obj=user)
