from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    """Failed sign-in attempts per key ("user:carla", "ip:10.0.0.1"); a lock always cools off."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(null=True)
    locked_until = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return self.key


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
