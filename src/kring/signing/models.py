"""Signatures, the sealed PDF and its copies (R14, docs/rules.md).

Every participant present at the conference (conference.queries.present_participants) signs
the latest final `PlanVersion`; for a minor, the parent or guardian co-signs (R9). Each place
to sign is a *slot*: (participant, role), where role "own" is the participant's own signature
and role "guardian" the co-signature of the minor `participant` by their guardian
(`signed_by`). There is at most one `Signature` and one `Declination` per version and slot
(database constraints): a double click or a retried request never makes two. Signatures belong
to a version, so a new version (a changed plan) needs everyone again.

When the last slot of a version is signed, the version gets a `SignedDocument`: the PDF made and
sealed by the task queue, with a verification code. Its bytes are kept in `StoredPdf` (in the
database) or in a configured object store (signing.storage), never on a local disk, so that
several app servers and workers need no shared disk. Each copy given to a signer is a
`Delivery` (by e-mail, downloaded in the portal, printed with a cover letter).

A `SigningCode` is the one-time code e-mailed to a participant who signs remotely through their
personal page; only its hash is kept."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.core.models import ChoiceLabels


class Role(models.TextChoices):
    OWN = "own", _("for themselves")
    GUARDIAN = "guardian", _("as parent or guardian")


class Method(models.TextChoices):
    IN_PERSON = "in_person", _("in person, at the conference")
    REMOTE = "remote", _("through the personal page")


class _SlotAct(ChoiceLabels, models.Model):
    """What a signature and a declination both say of their slot: the `role` of the place
    (with `version` and `participant`, named per model for their reverse names), how it was
    done (`method`) and, in person, the coordinator whose tablet it was (`hosted_by`)."""

    role = models.CharField(max_length=10, choices=Role.choices, default=Role.OWN)
    method = models.CharField(max_length=10, choices=Method.choices)
    hosted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class Signature(_SlotAct):
    """One signature of one version (R14). `participant` is whose place it fills: the signer
    themselves (role "own") or the minor whose guardian co-signs (role "guardian"); `signed_by`
    is who signed. `content_hash` is the version's hash as it was shown; `consent_text` the
    words beside the tick box, as shown; `typed_name` what the signer typed. In person:
    `hosted_by` is the coordinator whose tablet it was. Remotely: `remote_address` and
    `user_agent` of the browser. `drawing` is an optional drawn signature (SVG path data),
    never required."""

    version = models.ForeignKey(
        "conference.PlanVersion", on_delete=models.PROTECT, related_name="signatures"
    )
    participant = models.ForeignKey(
        "circle.Participant", on_delete=models.PROTECT, related_name="signatures"
    )
    signed_by = models.ForeignKey(
        "circle.Participant", on_delete=models.PROTECT, related_name="signatures_given"
    )
    content_hash = models.CharField(max_length=64)
    consent_text = models.TextField()
    typed_name = models.CharField(_("your name"), max_length=200)
    drawing = models.TextField(blank=True)
    signed_at = models.DateTimeField()
    remote_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "participant", "role"], name="signature_once_per_slot"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(method="in_person", hosted_by__isnull=False)
                    | models.Q(method="remote", hosted_by__isnull=True)
                ),
                name="signature_method_host",
            ),
        ]

    def __str__(self) -> str:
        return f"signature of {self.participant_id} ({self.role}) on version {self.version_id}"


class Declination(_SlotAct):
    """Someone declined to sign a version, with a reason the coordinator sees (never on the
    timeline, in the audit log or in an e-mail). A later signature of the same slot counts; the
    declination stays as history."""

    version = models.ForeignKey(
        "conference.PlanVersion", on_delete=models.PROTECT, related_name="declinations"
    )
    participant = models.ForeignKey(
        "circle.Participant", on_delete=models.PROTECT, related_name="declinations"
    )
    declined_by = models.ForeignKey(
        "circle.Participant", on_delete=models.PROTECT, related_name="declinations_given"
    )
    reason = models.TextField(_("why not"), max_length=1000)
    declined_at = models.DateTimeField()

    class Meta:
        ordering = ["declined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "participant", "role"], name="declination_once_per_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"declination of {self.participant_id} ({self.role}) on version {self.version_id}"


# The `storage` of a document whose bytes were erased with its case at the end of its retention
# (signing.erasure): it stays made, with its code and SHA-256, for the public verification page.
ERASED_STORAGE = "erased"


class SignedDocument(ChoiceLabels, models.Model):
    """The sealed PDF of a fully signed version: made by the task queue (signing.tasks), with a
    verification code (12 characters, Crockford's alphabet) that the public verification page
    accepts. `sha256` is of the sealed file's bytes; `storage` says where the bytes are
    ("database": `StoredPdf`; else the name of an entry in settings.STORAGES, with `name`
    there)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("being made")
        MADE = "made", _("made and sealed")
        FAILED = "failed", _("could not be made")

    version = models.OneToOneField(
        "conference.PlanVersion", on_delete=models.PROTECT, related_name="document"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="documents")
    code = models.CharField(max_length=12, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    made_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # A worker's claim (signing.tasks): when the last attempt began, and its fencing token
    # while one holds it.
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    signer_count = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(default=0)
    storage = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=200, blank=True)
    # The SHA-256 of the sealing certificate (signing.seal.fingerprint): the verification page
    # trusts it for this document after the seal was renewed.
    seal_fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"signed document {self.code} of version {self.version_id}"

    @property
    def is_erased(self) -> bool:
        """Its bytes were erased with the case at the end of its retention (ERASED_STORAGE)."""
        return self.storage == ERASED_STORAGE


class StoredPdf(models.Model):
    """The bytes of a sealed PDF kept in the database (the default store): a table of its own,
    so that lists of documents never read them."""

    document = models.OneToOneField(SignedDocument, on_delete=models.CASCADE, related_name="stored")
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"bytes of {self.document_id}"


class Delivery(ChoiceLabels, models.Model):
    """One copy of a signed document given to one signer (R14): queued as an e-mail (its state is
    the mail's: sent or failed), downloaded from the portal, or printed with a cover letter by
    the coordinator."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("by e-mail")
        PORTAL = "portal", _("downloaded from the personal page")
        PRINT = "print", _("printed with a cover letter")

    document = models.ForeignKey(
        SignedDocument, on_delete=models.PROTECT, related_name="deliveries"
    )
    participant = models.ForeignKey(
        "circle.Participant", on_delete=models.PROTECT, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    mail = models.ForeignKey(
        "notifications.OutgoingMail",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.channel} copy of {self.document_id} for {self.participant_id}"


class SigningCode(models.Model):
    """A one-time code e-mailed to a participant who signs remotely: its SHA-256 only, for a
    short time, a few tries. `participant` is who is in the portal (a guardian co-signing for a
    minor too)."""

    participant = models.ForeignKey(
        "circle.Participant", on_delete=models.CASCADE, related_name="signing_codes"
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    wrong_tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"signing code of {self.participant_id}"
