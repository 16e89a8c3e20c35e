import secrets
import time
import unicodedata

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from kring.core import sealing
from kring.core.contact_details import validate_phone
from kring.core.models import ChoiceLabels


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    # docs/rules.md, "Roles and what each may see"
    OFFICE = "office", _("Office")
    COORDINATOR = "coordinator", _("Coordinator")
    MANAGER = "manager", _("Manager")
    RESEARCHER = "researcher", _("Researcher")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(ChoiceLabels, AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=[("nl", "Nederlands"), ("en", "English")],
        default="nl",
    )
    # How participants and requesters reach a coordinator (issue 8, point 3; accounts.contact):
    # work details only, shown in the portal, the participants' e-mails and letters.
    work_phone = models.CharField(
        _("work telephone number"),
        max_length=30,
        blank=True,
        validators=[validate_phone],
        help_text=_("Participants see this number. For example 030 123 45 67 or 06 12 34 56 78."),
    )
    work_email = models.EmailField(
        _("work e-mail address"),
        blank=True,
        help_text=_("Participants see this address."),
    )
    away = models.BooleanField(
        _("away"),
        default=False,
        help_text=_(
            "While you are away, participants are asked to contact the organisation instead."
        ),
    )

    # Set by an administrator (issue 14, point 4; accounts.password_change): after signing in,
    # every page leads to the password change page until the user has chosen a new password.
    must_change_password = models.BooleanField(
        _("new password at next sign-in"),
        default=False,
        help_text=_(
            "After signing in, the user must choose a new password before doing anything else."
        ),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def start_url(self) -> str:
        """Where the user lands after signing in: the first page of their role's menu."""
        from kring.accounts.nav import start_url  # nav.py imports Role from this module

        return start_url(self)

    @property
    def is_office(self) -> bool:
        return self.role == Role.OFFICE

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_researcher(self) -> bool:
        return self.role == Role.RESEARCHER

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR


class LoginThrottle(models.Model):
    """Failed sign-in attempts per key ("pair:carla|10.0.0.1", "ip:10.0.0.1", "user:carla");
    a lock always cools off, a username is slowed down instead (kring.accounts.throttle)."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(null=True)
    last_failure_at = models.DateTimeField(null=True)
    # The end of a lock, or for a username that is slowed down the end of the current wait.
    locked_until = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return self.key


class UsualAddress(models.Model):
    """An address from which a user fully signed in: from there a slowed-down username is not
    slowed down. Only a keyed hash of the address (of its /64 for IPv6) is kept, for
    KRING_LOGIN_USUAL_ADDRESS_DAYS after the last sign-in from it (docs/data-retention.md)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="usual_addresses")
    address_hash = models.CharField(max_length=64)
    last_seen = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "address_hash"], name="usual_address_unique")
        ]

    def __str__(self) -> str:
        return f"usual address {self.pk} of user {self.user_id}"


class RecoveryCode(models.Model):
    """One single-use recovery code for the second factor, stored only as a keyed hash
    (kring.accounts.second_factor.recovery_code_hash; docs/adr/0004-hashed-recovery-codes.md).
    A code is used by setting `used_at` with a conditional UPDATE, so it works once only."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"recovery code {self.pk} of user {self.user_id}"


def new_sealed_totp_key() -> str:
    """20 random bytes (160 bits, RFC 4226's recommendation), sealed."""
    return sealing.seal(secrets.token_bytes(20))


class SealedTOTPDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP, RFC 6238): django-otp's TOTPDevice with its secret sealed
    (kring.core.sealing; docs/adr/0014-sealed-secrets.md) instead of kept in clear. The codes
    are computed by django-otp (django_otp.oath.TOTP), the throttling is its ThrottlingMixin."""

    sealed_key = models.TextField(default=new_sealed_totp_key)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    # The time step of the last code accepted: a code is accepted once only.
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = "TOTP device"

    @property
    def bin_key(self) -> bytes:
        return sealing.open_sealed(self.sealed_key)

    def verify_token(self, token) -> bool:
        """As TOTPDevice.verify_token: a code of this or a neighbouring step (tolerance), later
        than the last one accepted, learning the phone's drift when OTP_TOTP_SYNC is on (the
        default); a wrong code counts towards the throttle."""
        sync = getattr(settings, "OTP_TOTP_SYNC", True)
        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            number = int(token)
        except (TypeError, ValueError):
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = totp.verify(number, self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                if sync:
                    self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified

    def get_throttle_factor(self) -> int:
        # Wait 1, 2, 4, ... seconds (times the factor) after wrong codes, as TOTPDevice does.
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)


def municipality_key(name: str) -> str:
    """A municipality's name as it is compared: trimmed, one space between words, without
    accents, case-insensitive ("  Súdwest-Fryslân " and "sudwest-fryslan" are the same)."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split()).casefold()


class TeamArea(models.Model):
    """Where a team works (issue 8, point 7): a municipality, a range of 4-digit postcodes, or
    both. A request from there goes to the team's inbox (accounts.areas.team_for_place). No
    municipality and no postcode belongs to two teams; the administrator keeps the areas on
    the team's page in /beheer/ (accounts.admin)."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="areas"
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    # The name as compared (municipality_key): set on save, unique over all teams.
    municipality_key = models.CharField(max_length=100, blank=True, editable=False)
    postcode_from = models.PositiveSmallIntegerField(
        _("postcodes from"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(9999)],
        help_text=_("The 4 digits of the first postcode, such as 8000."),
    )
    postcode_to = models.PositiveSmallIntegerField(
        _("up to and including"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(9999)],
        help_text=_("The 4 digits of the last postcode, such as 8099."),
    )

    class Meta:
        ordering = ["team", "municipality_key", "postcode_from", "pk"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_key"],
                condition=~models.Q(municipality_key=""),
                name="area_municipality_in_one_team",
            )
        ]

    def __str__(self) -> str:
        parts = [self.municipality] if self.municipality else []
        if self.postcode_from is not None and self.postcode_to is not None:
            parts.append(f"{self.postcode_from}–{self.postcode_to}")
        return ", ".join(parts)

    def save(self, *args, **kwargs):
        self.municipality = " ".join(self.municipality.split())
        self.municipality_key = municipality_key(self.municipality)
        super().save(*args, **kwargs)

    def clean(self):
        errors: dict[str, list] = {}
        self.municipality = " ".join((self.municipality or "").split())
        first, last = self.postcode_from, self.postcode_to
        if not self.municipality and first is None and last is None:
            raise ValidationError(
                _("Give a municipality, a range of postcodes, or both."), code="empty"
            )
        if (first is None) != (last is None):
            field = "postcode_to" if last is None else "postcode_from"
            errors[field] = [_("Give both the first and the last postcode of the range.")]
        elif first is not None and last is not None and first > last:
            errors["postcode_to"] = [_("The last postcode must not be lower than the first.")]
        elif first is not None and last is not None:
            overlap = (
                TeamArea.objects.filter(postcode_from__lte=last, postcode_to__gte=first)
                .exclude(pk=self.pk)
                .select_related("team")
            )
            if self.team_id is not None:
                overlap = overlap.exclude(team_id=self.team_id)
            other = overlap.first()
            if other is not None:
                errors["postcode_from"] = [
                    _(
                        "Postcodes %(first)d–%(last)d overlap with %(other_first)d–%(other_last)d "
                        "of %(team)s. A postcode belongs to one team only."
                    )
                    % {
                        "first": first,
                        "last": last,
                        "other_first": other.postcode_from,
                        "other_last": other.postcode_to,
                        "team": other.team,
                    }
                ]
        key = municipality_key(self.municipality)
        if key:
            other = (
                TeamArea.objects.filter(municipality_key=key)
                .exclude(pk=self.pk)
                .select_related("team")
                .first()
            )
            if other is not None:
                errors["municipality"] = [
                    _("%(municipality)s already belongs to %(team)s.")
                    % {"municipality": other.municipality, "team": other.team}
                ]
        if errors:
            raise ValidationError(errors)
