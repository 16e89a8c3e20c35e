"""The circle of a case (kring): the participants, the coordinator's preparatory conversations,
acknowledgment (R3), nominations (R6), consent and rights (R9, R17) and the safety check (R7)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.core.models import ChoiceLabels


class Side(models.TextChoices):
    HARMED = "harmed", _("Harmed")
    RESPONSIBLE = "responsible", _("Responsible")
    SUPPORTER = "supporter", _("Family, friend or acquaintance")
    OTHER = "other", _("Other (teacher, neighbour, ...)")


class Status(models.TextChoices):
    # A context of their own: "Declined" and "Withdrawn" mean other things for a request or offer.
    TO_INVITE = "to_invite", pgettext_lazy("participant", "To invite")
    INVITED = "invited", pgettext_lazy("participant", "Invited")
    ACCEPTED = "accepted", pgettext_lazy("participant", "Accepted")
    DECLINED = "declined", pgettext_lazy("participant", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("participant", "Withdrawn")


# Who said no or stopped taking part (R9: they may come back until the plan is signed). Defined
# here, the one place, so that the model, the guards and the policy (circle.policy.HAS_LEFT) read
# the same set without importing each other in a circle.
HAS_LEFT = (Status.DECLINED, Status.WITHDRAWN)


class Mode(models.TextChoices):
    """How something was said or given."""

    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By telephone")
    VIDEO = "video", _("By video call")
    PORTAL = "portal", _("On their personal page")
    PAPER = "paper", _("On paper")


class Language(models.TextChoices):
    NL = "nl", "Nederlands"
    EN = "en", "English"


# What every page shows instead of the name of an erased participant (circle.erasure): defined
# once, read through Participant.name (ErasableName) and shown_name().
ERASED_NAME = _("Erased participant")


def shown_name(name: str) -> str:
    """A participant's name as read with values()/values_list(): an erased participant's name
    is stored empty (a name is required otherwise), and shown as ERASED_NAME."""
    return name or str(ERASED_NAME)


class _ErasableNameAttribute(DeferredAttribute):
    """Reads as ERASED_NAME once the participant is erased (`erased_at` set), so that every page
    that shows `participant.name` still renders; saving writes the stored value, never the word."""

    def __get__(self, instance, cls=None):
        value = super().__get__(instance, cls)
        if instance is not None and instance.__dict__.get("erased_at") is not None:
            return str(ERASED_NAME)
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class ErasableNameField(models.CharField):
    """A participant's name: see _ErasableNameAttribute."""

    descriptor_class = _ErasableNameAttribute

    def pre_save(self, model_instance, add):
        # An erased participant's name stays empty in the database, also when the row was
        # reloaded (refresh_from_db copies the name as read: ERASED_NAME) and saved again.
        if model_instance.__dict__.get("erased_at") is not None:
            return ""
        return model_instance.__dict__.get(self.attname)


class Participant(ChoiceLabels, models.Model):
    """A person in the circle of a case (betrokkene / deelnemer)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="participants")
    name = ErasableNameField(_("name"), max_length=200)
    side = models.CharField(_("side"), max_length=20, choices=Side.choices)
    # A supporter (or other) stands in the circle of one harmed or responsible person (R5).
    supports = models.ForeignKey(
        "self",
        verbose_name=_("in the circle of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="circle",
    )
    relation = models.CharField(
        _("relation to the others"),
        max_length=200,
        blank=True,
        help_text=_("For example: mother of Daan, teacher, neighbour."),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("telephone number"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), max_length=500, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.NL
    )
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_language = models.CharField(_("interpreter for"), max_length=100, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=500, blank=True)
    is_minor = models.BooleanField(_("minor"), default=False)
    guardian = models.ForeignKey(
        "self",
        verbose_name=_("parent or guardian"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="wards",
    )
    # The harmed person's wish about who comes on their side (R6), shown beside nominations.
    wishes = models.TextField(_("wishes about who comes"), max_length=1000, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.TO_INVITE)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    withdrawal_mode = models.CharField(max_length=20, choices=Mode.choices, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set when the participant's personal data was erased (circle.erasure): the row stays as an
    # anonymous one (side, status, counts), its name reads as ERASED_NAME.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [models.Index(fields=["case", "side"], name="participant_case_side")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_main(self) -> bool:
        return self.side in (Side.HARMED, Side.RESPONSIBLE)

    @property
    def takes_part(self) -> bool:
        return self.status not in HAS_LEFT


class Conversation(ChoiceLabels, models.Model):
    """A preparatory conversation (voorbereidingsgesprek, R7)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="conversations"
    )
    held_at = models.DateTimeField(_("when"))
    mode = models.CharField(
        _("how"),
        max_length=20,
        choices=[(m.value, m.label) for m in (Mode.IN_PERSON, Mode.PHONE, Mode.VIDEO)],
    )
    # Coordinator only: the office never sees these notes (docs/rules.md "Roles").
    notes = models.TextField(_("short notes"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.held_at:%Y-%m-%d}"


class Acknowledgment(ChoiceLabels, models.Model):
    """Whether a responsible person acknowledges their part (erkenning, R3). Not a confession:
    never exported as evidence. The newest row per participant counts."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="acknowledgments"
    )
    acknowledges = models.BooleanField(_("acknowledges their part"))
    given_at = models.DateTimeField(_("when"))
    mode = models.CharField(
        _("how"),
        max_length=20,
        choices=[(m.value, m.label) for m in (Mode.IN_PERSON, Mode.PHONE, Mode.VIDEO, Mode.PAPER)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.acknowledges}"


class Nomination(ChoiceLabels, models.Model):
    """Someone a participant names: "who else should be there?" (voordracht, R6)."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Not decided yet")
        INVITED = "invited", _("Added to the circle")
        NOT_INVITED = "not_invited", _("Not invited")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="nominations")
    nominated_by = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="nominations_made"
    )
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("who they are"), max_length=200, blank=True)
    via = models.CharField(max_length=20, choices=Mode.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.CharField(_("why not"), max_length=500, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    participant = models.OneToOneField(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="nomination"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Answer(models.TextChoices):
    YES = "yes", _("Yes, wants it")
    NO = "no", _("No")
    LATER = "later", _("Will decide later")


class CurrentConsents(models.Manager):
    """The consents that count: a return after a withdrawal or a refusal makes every earlier
    consent of that person stop counting (R9: someone who comes back consents anew). The
    default manager, so that every reader (participant.consents, the guards, the policy, the
    portal, the case page) sees only these; the history stays in Consent.all_objects."""

    def get_queryset(self):
        return super().get_queryset().filter(superseded_at__isnull=True)


class Consent(ChoiceLabels, models.Model):
    """Informed consent (R9) to one version of the information, with the offer of rights and
    the answers (R17). For a minor, the parent or guardian consents too (given_by)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    # The person who consented: the participant, or the minor's parent or guardian.
    given_by = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    information_version = models.CharField(max_length=20)
    given_at = models.DateTimeField()
    mode = models.CharField(
        max_length=20,
        choices=[(m.value, m.label) for m in (Mode.PORTAL, Mode.PAPER, Mode.PHONE, Mode.IN_PERSON)],
    )
    obtained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    legal_advice = models.CharField(_("legal advice"), max_length=10, choices=Answer.choices)
    interpreter = models.CharField(_("an interpreter"), max_length=10, choices=Answer.choices)
    support_person = models.CharField(_("a support person"), max_length=10, choices=Answer.choices)
    # Set when the person came back after withdrawing or declining (actions.record_return).
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = CurrentConsents()
    all_objects = models.Manager()  # noqa: DJ012 (a manager, not a field)

    class Meta:
        ordering = ["given_at", "pk"]
        base_manager_name = "all_objects"

    def __str__(self) -> str:
        return f"{self.participant_id} v{self.information_version}"


class RiskFlag(ChoiceLabels, models.Model):
    """One risk in the safety check (R7) with the coordinator's assessment."""

    class Kind(models.TextChoices):
        DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
        SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence")
        STALKING = "stalking", _("Stalking")
        INTIMIDATION = "intimidation", _("Intimidation")
        MINOR = "minor", _("A minor is involved")
        POWER_IMBALANCE = "power_imbalance", _("Power imbalance")
        OTHER = "other", _("Other")

    class Level(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="risk_flags")
    kind = models.CharField(_("risk"), max_length=30, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    # Coordinator only, like conversation notes.
    assessment = models.TextField(_("assessment"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(_("what makes it safe now"), max_length=2000, blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["case", "level"], name="riskflag_case_level")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.level})"

    @property
    def blocks(self) -> bool:
        """R7: an unresolved high risk blocks the move to scheduling."""
        return self.level == self.Level.HIGH and self.resolved_at is None


class Invitation(ChoiceLabels, models.Model):
    """An invitation sent to a participant, by e-mail or as a printed letter."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Letter")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="invitations"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.channel}"


class PersonalLink(models.Model):
    """A participant's personal link to the portal: only a hash of the token is stored; a link
    expires, and is revoked when the coordinator issues a new one (circle.links)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256 hex of the token
    # HMAC-SHA-256 hex of the letter code (circle.links; docs/adr/0007-letter-codes.md).
    code_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Made by the portal app before links moved here (migrations circle 0002, portal 0002).
        db_table = "portal_personallink"
        constraints = [
            # At most one live link per participant: issuing a new one revokes the old.
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(revoked_at__isnull=True),
                name="personallink_one_live_per_participant",
            )
        ]

    def __str__(self) -> str:
        return f"link {self.pk} of participant {self.participant_id}"


class Question(models.Model):
    """A question a participant asks their coordinator in the portal ("Vraag iets aan je
    coördinator"), and the coordinator's answer. The text is case data: it never goes into a
    URL, a log line, an e-mail or a task payload."""

    class How(models.TextChoices):
        IN_KRING = "in_kring", _("Answered on the participant's page")
        PHONE = "phone", _("Answered by telephone")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("your question"), max_length=1000)
    asked_at = models.DateTimeField()
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answered_how = models.CharField(max_length=20, choices=How.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return f"question {self.pk} of participant {self.participant_id}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


class Notice(models.Model):
    """Something that needs the coordinator of a case (a melding): a participant withdrew,
    declined, named someone, consented or asked a question in the portal (R9: the coordinator
    hears of it at once). It stays open in the coordinator's task list until they mark it
    handled. `kind` is a dotted name; later stages add their own kinds and labels through
    circle.notices.add_kinds, so the column has no fixed choices."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=60)
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    created_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "handled_at"], name="notice_case_open")]

    def __str__(self) -> str:
        return f"notice {self.pk} ({self.kind}) in case {self.case_id}"

    @property
    def is_open(self) -> bool:
        return self.handled_at is None


class FromRequest(models.Model):
    """What the coordinator did with a person named in the request (issue 8, point 8): added
    to the circle as `participant`, or set aside (`participant` empty). A person named in the
    request is offered on the circle page until this row exists. Taking the participant out of
    the circle (added by mistake) removes the row, so that the person is offered again."""

    person = models.OneToOneField(
        "referrals.ReferralPerson", on_delete=models.CASCADE, related_name="circle_choice"
    )
    participant = models.OneToOneField(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="from_request"
    )
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"request person {self.person_id} -> participant {self.participant_id}"
