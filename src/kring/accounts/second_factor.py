"""The second factor: a TOTP app (SealedTOTPDevice: django-otp's TOTP with its secret sealed,
docs/adr/0014-sealed-secrets.md) plus single-use recovery codes (RecoveryCode, stored as keyed
hashes: docs/adr/0004-hashed-recovery-codes.md). Mandatory for every staff role, except in demo
mode."""

import json
import math
import re
import secrets
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_otp.models import Device

from kring.accounts import throttle
from kring.accounts.models import RecoveryCode, SealedTOTPDevice
from kring.audit.log import record
from kring.core import sealing

RECOVERY_CODE_COUNT = 10
# 10 characters of base32: 50 random bits per code.
RECOVERY_CODE_LENGTH = 10
RECOVERY_CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
_RECOVERY_HASH_SALT = "kring.accounts.recovery_code"
TOTP_DEVICE_NAME = "authenticator"
ISSUER = "Kring"
_TOTP_FORMAT = re.compile(r"^\d{6}$")


def required() -> bool:
    """The demo switch (settings.DEMO_MODE) is the only way to go without a second factor."""
    return not settings.DEMO_MODE


def totp_device(user) -> SealedTOTPDevice | None:
    return SealedTOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_totp_device(user) -> bool:
    return SealedTOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def pending_totp_device(user) -> SealedTOTPDevice:
    """The unconfirmed device shown during setup; the same one on every reload, so that a
    scanned QR code stays valid until the user confirms it."""
    device = SealedTOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = SealedTOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def remaining_recovery_codes(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def normalise_code(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "").lower()


def format_recovery_code(code: str) -> str:
    """In two halves, for reading and typing: "abcde-fghij"."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if len(code) >= 8 else code


def new_recovery_code() -> str:
    return "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))


def recovery_code_hash(user_id: int, code: str, *, secret: str | None = None) -> str:
    """HMAC-SHA-256 of the normalised code, keyed with SECRET_KEY (or `secret`) and bound to the
    user: a copy of the table alone tells nothing, and one user's hash is no use for another."""
    value = f"{user_id}:{normalise_code(code)}"
    return salted_hmac(_RECOVERY_HASH_SALT, value, secret=secret, algorithm="sha256").hexdigest()


def _candidate_hashes(user_id: int, code: str) -> list[str]:
    """The hash under SECRET_KEY and under each SECRET_KEY_FALLBACKS: codes made before a key
    rotation keep working while the old key is still a fallback."""
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return [recovery_code_hash(user_id, code, secret=key) for key in keys]


def use_recovery_code(user, raw_code: str) -> bool:
    """Mark the code used and return True, or return False when it is wrong or used already.
    One conditional UPDATE: of two requests with the same code at the same moment, the
    database lets only one change the row."""
    code = normalise_code(raw_code)
    if not code:
        return False
    used = RecoveryCode.objects.filter(
        user=user, code_hash__in=_candidate_hashes(user.pk, code), used_at__isnull=True
    ).update(used_at=timezone.now())
    return used > 0


def secret_groups(device: SealedTOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def config_url(device: SealedTOTPDevice) -> str:
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


def qr_svg(device: SealedTOTPDevice, *, label: str) -> SafeString:
    """The setup QR code as inline SVG: paths and presentation attributes only, no style
    attribute (the Content-Security-Policy allows no inline style)."""
    image = qrcode.make(config_url(device), image_factory=qrcode.image.svg.SvgPathFillImage)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r"\sstyle=\"[^\"]*\"", "", svg)  # defensive: other qrcode versions may add one
    svg = svg.replace("<svg ", '<svg role="img" focusable="false" aria-labelledby="qr-title" ', 1)
    opening_end = svg.index(">") + 1
    title = f'<title id="qr-title">{escape(label)}</title>'
    return mark_safe(svg[:opening_end] + title + svg[opening_end:])  # generated, label escaped


@dataclass
class CodeCheck:
    device: Device | None = None
    # Refused without looking at the code: too many wrong codes, wait until then.
    wait_until: datetime | None = None
    recovery: bool = False
    # This wrong recovery code started a lock, which ends then.
    locked_until: datetime | None = None

    @property
    def wait_seconds(self) -> int:
        if self.wait_until is None:
            return 0
        return max(1, math.ceil((self.wait_until - timezone.now()).total_seconds()))


def _check(device: Device, code: str, *, recovery: bool = False) -> CodeCheck:
    """django-otp's throttling: after a wrong code the device refuses codes for 1, 2, 4, ...
    seconds. A TOTP code is accepted once only: the device's last_t refuses earlier time steps."""
    with transaction.atomic():
        device = type(device).objects.select_for_update(no_key=True).get(pk=device.pk)
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
    return _check_recovery_code(user, code)


def _check_recovery_code(user, code: str) -> CodeCheck:
    """Wrong recovery codes are counted per user (accounts.throttle, key "recovery:<id>"): after
    KRING_LOGIN_MAX_FAILURES within the cool-off every code is refused until the lock ends."""
    device = totp_device(user)
    if device is None:  # no app, no recovery codes (they are removed together)
        return CodeCheck(recovery=True)
    key = throttle.recovery_key(user)
    until = throttle.locked_until([key])
    if until:
        return CodeCheck(wait_until=until, recovery=True)
    if use_recovery_code(user, code):
        throttle.reset(key)
        # django-otp marks a session verified with a device: the app's, which the recovery
        # code stands in for (the audit log records that a recovery code was used).
        return CodeCheck(device=device, recovery=True)
    if throttle.register_failure([key]):
        return CodeCheck(recovery=True, locked_until=throttle.locked_until([key]))
    return CodeCheck(recovery=True)


def create_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes by RECOVERY_CODE_COUNT new ones, returned in clear to
    be shown once; only their hashes are stored."""
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = new_recovery_code()
        if code not in codes:
            codes.append(code)
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=recovery_code_hash(user.pk, code)) for code in codes
        )
    return codes


def seal_for_display(codes: list[str]) -> str:
    """New codes sealed (kring.core.sealing) for the one request between the page that makes
    them and the page that shows them: the session row never holds them in clear."""
    return sealing.seal(json.dumps(codes))


def open_for_display(sealed: str | None) -> list[str]:
    """The codes sealed by seal_for_display; none when there are none or they cannot be opened
    (a key rotated away in between: the user makes new codes)."""
    if not isinstance(sealed, str) or not sealed:
        return []
    try:
        codes = json.loads(sealing.open_sealed(sealed))
    except sealing.Unreadable:
        return []
    return [code for code in codes if isinstance(code, str)]


def confirm_totp_device(
    user, device: SealedTOTPDevice, raw_code: str
) -> tuple[CodeCheck, list[str]]:
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
        SealedTOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = create_recovery_codes(user)
        record("account.second_factor_setup", actor=user, obj=user)
    return check, codes


def reset_second_factor(user, *, by) -> None:
    """An administrator removes a lost app and its recovery codes; the user sets up anew."""
    with transaction.atomic():
        SealedTOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        # For the user's team, so that its manager sees it in the access log.
        record(
            "account.second_factor_reset",
            actor=by,
            obj=user,
            team_id=user.team_id,
            data={"user": user.pk},
        )
