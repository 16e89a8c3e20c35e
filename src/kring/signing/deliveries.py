"""The copies of a signed document (R14, issue 11 point 4): every signer gets one.

- `send_copies(document)`: called by the task (signing.tasks) once the PDF is made; queues one
  e-mail "signing.copy" with the PDF attached to every signer with an e-mail address (one per
  person: a guardian who also signs for themselves gets one) and records a Delivery (channel
  e-mail, with its mail) for each. Idempotent: a signer who has an e-mail delivery of this
  document gets nothing twice. The PDF is attached by reference (kring.notifications.
  attachments, source "signed-document"): the outbox row holds the document's id, and its
  bytes are read from signing.storage when the mail is sent. The mail names no one and holds no
  plan text; the PDF carries the plan's words to the signer's own address, as R14 asks.
- `record_download(document, participant)`: a copy downloaded on the personal page.
- `record_printed(document, participant, *, by)`: the coordinator printed a signer's copy with its
  cover letter (policy `may_record_printed_copy`).
- `resend(document, participant, *, by)`: a signer's copy by e-mail again (policy
  `may_resend_copy`: not while their last one is still waiting to be sent).
- `status(document) -> list[CopyStatus]`: per signer, which copies they got; a fixed number of
  queries whatever the number of signers.

Each records an audit row (signing.copy_sent, signing.copy_downloaded, signing.copy_printed,
signing.copy_resent) naming the signer by id, never an address."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kring.accounts import contact
from kring.audit.actors import SYSTEM, Actor, By, staff_user
from kring.audit.log import record
from kring.core.policy import enforce
from kring.notifications.mail import Attachment, queue_mail
from kring.notifications.models import OutgoingMail
from kring.signing import documents, policy
from kring.signing.models import ERASED_STORAGE, Delivery, Signature, SignedDocument

if TYPE_CHECKING:
    from kring.circle.models import Participant

SOURCE = "signed-document"


def filename(document: SignedDocument) -> str:
    """The PDF's file name in a mail or a download: no name, no case detail."""
    return f"herstelplan-{documents.grouped(document.code)}.pdf"


def load_pdf(document_id: int) -> bytes | None:
    """The loader of the mail attachments (registered as SOURCE): the made PDF, or None (also
    once it is erased: signing.erasure withdraws its mails still waiting)."""
    document = (
        SignedDocument.objects.filter(pk=document_id, status=SignedDocument.Status.MADE)
        .exclude(storage=ERASED_STORAGE)
        .first()
    )
    return documents.pdf_bytes(document) if document is not None else None


def signers(document: SignedDocument) -> list[Participant]:
    """Everyone who signed the document's version, once each, by name."""
    people = {
        s.signed_by_id: s.signed_by
        for s in Signature.objects.filter(version_id=document.version_id).select_related(
            "signed_by"
        )
    }
    return sorted(people.values(), key=lambda p: (p.name.casefold(), p.pk))


def _queue(document: SignedDocument, participant: Participant) -> OutgoingMail:
    return queue_mail(
        "signing.copy",
        to=participant.email,
        language=participant.language,
        context={
            "code": documents.grouped(document.code),
            "verify_url": settings.SITE_URL + reverse("signing:verify"),
            "contact": contact.for_case(document.case),
        },
        attachments=[
            Attachment(filename(document), "", "application/pdf", source=(SOURCE, document.pk))
        ],
    )


def send_copies(document: SignedDocument) -> list[Delivery]:
    """One e-mail with the PDF to each signer with an address who has none yet (see the module).
    Returns the deliveries made now."""
    made: list[Delivery] = []
    with transaction.atomic():
        # One sender at a time per document: a second call finds the first one's deliveries.
        document = (
            SignedDocument.objects.select_for_update(no_key=True)
            .select_related("case")
            .get(pk=document.pk)
        )
        if document.status != SignedDocument.Status.MADE:
            return made
        done = set(
            Delivery.objects.filter(document=document, channel=Delivery.Channel.EMAIL).values_list(
                "participant_id", flat=True
            )
        )
        now = timezone.now()
        for person in signers(document):
            if not person.email or person.pk in done:
                continue
            mail = _queue(document, person)
            made.append(
                Delivery.objects.create(
                    document=document,
                    participant=person,
                    channel=Delivery.Channel.EMAIL,
                    mail=mail,
                    at=now,
                )
            )
            record(
                "signing.copy_sent",
                actor=SYSTEM,
                case=document.case,
                obj=person,
                data={"document": document.pk},
            )
    return made


def record_download(document: SignedDocument, participant: Participant) -> Delivery:
    """The participant downloaded their copy on their personal page (the view checked
    may_download_document)."""
    me = Actor.in_portal(participant)
    enforce(policy.may_download_document(me, document))
    with transaction.atomic():
        delivery = Delivery.objects.create(
            document=document,
            participant=participant,
            channel=Delivery.Channel.PORTAL,
            at=timezone.now(),
        )
        record(
            "signing.copy_downloaded",
            actor=me,
            case=document.case,
            obj=participant,
            data={"document": document.pk},
        )
    return delivery


def record_printed(document: SignedDocument, participant: Participant, *, by: By) -> Delivery:
    """The coordinator printed `participant`'s copy with its cover letter."""
    enforce(policy.may_record_printed_copy(by, document, participant))
    with transaction.atomic():
        delivery = Delivery.objects.create(
            document=document,
            participant=participant,
            channel=Delivery.Channel.PRINT,
            at=timezone.now(),
            by=staff_user(by),
        )
        record(
            "signing.copy_printed",
            actor=by,
            case=document.case,
            obj=participant,
            data={"document": document.pk},
        )
    return delivery


def resend(document: SignedDocument, participant: Participant, *, by: By) -> Delivery:
    """`participant`'s copy by e-mail again (none was sent, it failed, or it was lost). The
    document's row is locked and the policy asked again under the lock: of two requests at once
    (a double click) the second finds the first one's mail waiting to be sent, and is refused."""
    with transaction.atomic():
        document = (
            SignedDocument.objects.select_for_update(no_key=True)
            .select_related("case")
            .get(pk=document.pk)
        )
        enforce(policy.may_resend_copy(by, document, participant))
        mail = _queue(document, participant)
        delivery = Delivery.objects.create(
            document=document,
            participant=participant,
            channel=Delivery.Channel.EMAIL,
            mail=mail,
            at=timezone.now(),
            by=staff_user(by),
        )
        record(
            "signing.copy_resent",
            actor=by,
            case=document.case,
            obj=participant,
            data={"document": document.pk},
        )
    return delivery


# --- where each signer's copy stands ----------------------------------------------------------


@dataclass
class CopyStatus:
    """One signer's copies: `email` is the state of their latest e-mail ("pending", "sent",
    "failed"; "" when none was sent), `downloaded_at` and `printed_at` the latest of each."""

    participant: Participant
    deliveries: list[Delivery] = field(default_factory=list)
    email: str = ""
    email_at: datetime | None = None
    downloaded_at: datetime | None = None
    printed_at: datetime | None = None
    email_reached: bool = False  # one of their e-mails was sent (a later resend may fail)

    @property
    def has_email_address(self) -> bool:
        return bool(self.participant.email)

    @property
    def has_copy(self) -> bool:
        """A copy reached them: a mail sent, a download, or a printed copy."""
        return self.email_reached or bool(self.downloaded_at) or bool(self.printed_at)

    @property
    def email_failed(self) -> bool:
        return self.email == OutgoingMail.Status.FAILED


def status(document: SignedDocument) -> list[CopyStatus]:
    """Per signer (by name), their copies of `document`. Two queries whatever the number."""
    found = {person.pk: CopyStatus(person) for person in signers(document)}
    for delivery in Delivery.objects.filter(document=document).select_related("mail"):
        entry = found.get(delivery.participant_id)
        if entry is None:
            continue
        entry.deliveries.append(delivery)
        if delivery.channel == Delivery.Channel.EMAIL:
            entry.email = policy.mail_state(delivery.mail)
            entry.email_at = delivery.at
            entry.email_reached = entry.email_reached or entry.email == OutgoingMail.Status.SENT
        elif delivery.channel == Delivery.Channel.PORTAL:
            entry.downloaded_at = delivery.at
        elif delivery.channel == Delivery.Channel.PRINT:
            entry.printed_at = delivery.at
    return list(found.values())
