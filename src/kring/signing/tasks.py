"""The task queue's part of signing (R14, issue 11 point 3): making the sealed PDF of a fully
signed version, then sending the copies. Payloads are ids only. The case's state is not
touched here: the signing transaction moved it already (signing.actions)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kring.signing import deliveries, pdf, seal, storage
from kring.signing.models import SignedDocument

MAX_ATTEMPTS = 5
RETRY_SECONDS = 120
CLAIM_SECONDS = 300  # a worker that holds a document longer than this is taken to have died


class DocumentNotMade(Exception):
    """Raised so that Huey retries the task later."""


def _claimable():
    stale = timezone.now() - timedelta(seconds=CLAIM_SECONDS)
    return SignedDocument.objects.filter(status=SignedDocument.Status.PENDING).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
    )


def make(document_id: int) -> bool:
    """Make, seal and store the document's PDF once; True when this call made it. A document
    already made, given up, or held by another worker is left alone (one UPDATE claims it).
    The copies are the task's next step (`make_document`)."""
    claimed = (
        _claimable()
        .filter(pk=document_id)
        .update(claimed_at=timezone.now(), attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    document = SignedDocument.objects.select_related("version__plan__case").get(pk=document_id)
    try:
        sealed = seal.seal(pdf.render(document))
        storage.save(document, sealed)
    except Exception as exc:
        gave_up = document.attempts >= MAX_ATTEMPTS
        SignedDocument.objects.filter(pk=document_id).update(
            claimed_at=None,
            status=SignedDocument.Status.FAILED if gave_up else SignedDocument.Status.PENDING,
            last_error=type(exc).__name__[:300],  # the class only: a message may quote the plan
        )
        if gave_up:
            return False
        raise DocumentNotMade(f"document {document_id}: {type(exc).__name__}") from exc
    SignedDocument.objects.filter(pk=document_id).update(
        status=SignedDocument.Status.MADE,
        made_at=timezone.now(),
        claimed_at=None,
        last_error="",
        storage=document.storage,
        name=document.name,
        sha256=document.sha256,
        size=document.size,
    )
    return True


@db_task(retries=MAX_ATTEMPTS - 1, retry_delay=RETRY_SECONDS)
def make_document(document_id: int) -> None:
    """Make the sealed PDF of one document (its id only), then queue its copies. The copies are
    asked for whenever the document is made, also when this run did not make it: a run retried
    after the PDF was stored but the mail could not be queued still sends them, and
    deliveries.send_copies queues each signer's mail once, however often it is called."""
    make(document_id)
    document = SignedDocument.objects.get(pk=document_id)
    if document.status == SignedDocument.Status.MADE:
        deliveries.send_copies(document)


@db_periodic_task(crontab(minute="*/5"))
def sweep_documents() -> None:
    """Re-queue documents that a stopped or crashed worker left pending."""
    stale = timezone.now() - timedelta(minutes=5)
    ids = list(_claimable().filter(created_at__lt=stale).values_list("pk", flat=True)[:100])
    for document_id in ids:
        make_document(document_id)
