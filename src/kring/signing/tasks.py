"""The task queue's part of signing (R14, issue 11 point 3): making the sealed PDF of a fully
signed version, then sending the copies. Payloads are ids only. The case's state is not
touched here: the signing transaction moved it already (signing.actions).

Two workers may hold the same document: a claim older than CLAIM_SECONDS is taken to be a dead
worker's and is taken over, though that worker may still be running. Each claim therefore
carries a fencing token (`claim_token`, new with every claim), and an attempt's result counts
only when, in one transaction with the row locked, the document is still pending with that
attempt's token: its bytes are kept and the document marked made together, or not at all (the
late attempt's result is discarded).

A document that could not be made in MAX_ATTEMPTS tries (Huey's retries and the sweep's,
counted together) is marked failed with the class of the last error; the sweep tries it again
about once an hour after its last try (FAILED_RETRY_SECONDS), so that once the operator fixed
the seal or the store, its PDF is made and the copies go out."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kring.signing import deliveries, pdf, seal, storage
from kring.signing.models import SignedDocument

MAX_ATTEMPTS = 5
RETRY_SECONDS = 120
CLAIM_SECONDS = 300  # a worker that holds a document longer than this is taken to have died
FAILED_RETRY_SECONDS = 3600  # a failed document is tried again this long after its last try
SWEEP_AFTER_SECONDS = 300  # a pending document younger than this surely has its task queued


class DocumentNotMade(Exception):
    """Raised so that Huey retries the task later."""


def _claimable(now: datetime):
    """Documents a worker may claim at `now`: pending and not held (or held by a worker taken to
    have died), or failed and last tried FAILED_RETRY_SECONDS ago or more."""
    held_since = now - timedelta(seconds=CLAIM_SECONDS)
    tried_since = now - timedelta(seconds=FAILED_RETRY_SECONDS)
    pending = Q(status=SignedDocument.Status.PENDING) & (
        Q(claim_token__isnull=True) | Q(claimed_at__isnull=True) | Q(claimed_at__lt=held_since)
    )
    failed = Q(status=SignedDocument.Status.FAILED) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=tried_since)
    )
    return SignedDocument.objects.filter(pending | failed)


def claim(document_id: int, *, now: datetime | None = None) -> str | None:
    """Claim the document for one attempt (one UPDATE): its new fencing token, or None when it
    is made, held by a live worker, or failed and tried too recently. A failed document claimed
    is pending again while it is tried; `last_error` stays until an attempt succeeds."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    claimed = (
        _claimable(now)
        .filter(pk=document_id)
        .update(
            claim_token=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
            status=SignedDocument.Status.PENDING,
        )
    )
    return token if claimed else None


def attempt(document_id: int, token: str) -> bool:
    """Render, seal and store the claimed document's PDF, then record it if the claim still
    holds; True when this attempt's PDF became the document's."""
    document = SignedDocument.objects.select_related("version__plan__case").get(pk=document_id)
    try:
        signer = seal.load_signer()
        sealed = seal.seal(pdf.render(document), signer=signer)
        stored = storage.put(document, sealed, token)
    except Exception as exc:
        return _failed(document_id, token, exc)
    return _finish(document_id, token, stored, sealed, seal.fingerprint(signer.signing_cert))


def _finish(
    document_id: int, token: str, stored: storage.Stored, data: bytes, sealed_with: str
) -> bool:
    with transaction.atomic():
        document = (
            SignedDocument.objects.select_for_update(no_key=True)
            .filter(pk=document_id, status=SignedDocument.Status.PENDING, claim_token=token)
            .first()
        )
        if document is not None:
            storage.keep(document, stored, data)
            document.status = SignedDocument.Status.MADE
            document.made_at = timezone.now()
            document.claim_token = None
            document.last_error = ""
            document.seal_fingerprint = sealed_with
            document.save(
                update_fields=[
                    "status",
                    "made_at",
                    "claim_token",
                    "last_error",
                    "seal_fingerprint",
                    "storage",
                    "name",
                    "sha256",
                    "size",
                ]
            )
    if document is None:  # another worker took the claim over: its result counts, not ours
        storage.discard(stored)
        return False
    return True


def _failed(document_id: int, token: str, exc: Exception) -> bool:
    """Record a failed attempt (the class only: a message may quote the plan), if the claim is
    still ours; raise DocumentNotMade for Huey to retry while tries remain."""
    with transaction.atomic():
        document = (
            SignedDocument.objects.select_for_update(no_key=True)
            .filter(pk=document_id, status=SignedDocument.Status.PENDING, claim_token=token)
            .first()
        )
        if document is None:
            return False
        gave_up = document.attempts >= MAX_ATTEMPTS
        document.claim_token = None  # claimed_at stays: when it was last tried
        document.status = SignedDocument.Status.FAILED if gave_up else SignedDocument.Status.PENDING
        document.last_error = type(exc).__name__[:300]
        document.save(update_fields=["claim_token", "status", "last_error"])
    if gave_up:
        return False
    raise DocumentNotMade(f"document {document_id}: {type(exc).__name__}") from exc


def make(document_id: int, *, now: datetime | None = None) -> bool:
    """Make, seal and store the document's PDF once; True when this call made it. A document
    already made, held by another worker, or failed and tried within the hour is left alone.
    The copies are the task's next step (`make_document`)."""
    token = claim(document_id, now=now)
    if token is None:
        return False
    return attempt(document_id, token)


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


def due(now: datetime) -> list[int]:
    """What the sweep queues at `now`: documents a stopped or crashed worker left pending, and
    failed documents whose last try is an hour ago or more."""
    young = now - timedelta(seconds=SWEEP_AFTER_SECONDS)
    return list(
        _claimable(now)
        .filter(created_at__lt=young)
        .order_by("claimed_at", "pk")
        .values_list("pk", flat=True)[:100]
    )


@db_periodic_task(crontab(minute="*/5"))
def sweep_documents() -> None:
    """Re-queue documents left pending, and failed ones due for another try (`due`)."""
    for document_id in due(timezone.now()):
        make_document(document_id)
