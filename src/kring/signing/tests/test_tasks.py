"""The task that makes the sealed PDF (issue 11, point 3): once per document even when queued
twice, a failure recorded with the exception's class only, given up after the last try, and a
sweep that picks up what a crashed worker left. The case's state is not the task's business."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from kring.signing import documents, seal, tasks
from kring.signing.models import SignedDocument, StoredPdf
from kring.signing.tests.document_fixtures import made_document, pending_document, signed_version

__all__ = ["made_document", "pending_document", "signed_version"]

pytestmark = pytest.mark.django_db


def test_start_makes_one_pending_document_with_a_code_and_queues_it_on_commit(
    signed_version, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued, transaction.atomic():
        document = documents.start(signed_version)
        assert documents.start(signed_version) == document  # idempotent
    assert len(queued) == 1  # the second start queued nothing
    assert document.status == SignedDocument.Status.PENDING
    assert document.case == signed_version.plan.case
    assert document.signer_count == signed_version.signatures.count()
    assert documents.parse_code(document.code) == document.code
    assert len(document.code) == 12


def test_a_typed_code_is_read_leniently():
    assert documents.parse_code("7kq4 m2xd-9hbr") == "7KQ4M2XD9HBR"
    assert documents.parse_code("OIL0-0000-0000") == "0110" + "0" * 8
    assert documents.parse_code("7KQ4-M2XD-9HBU") is None  # U is not in the alphabet
    assert documents.parse_code("7KQ4-M2XD") is None
    assert documents.grouped("7KQ4M2XD9HBR") == "7KQ4-M2XD-9HBR"


def test_the_task_makes_seals_and_stores_the_pdf(made_document):
    assert made_document.status == SignedDocument.Status.MADE
    assert made_document.made_at is not None and made_document.attempts == 1
    data = documents.pdf_bytes(made_document)
    assert data.startswith(b"%PDF-") and len(data) == made_document.size
    assert seal.check(data).ok


def test_the_task_makes_each_document_once_even_when_called_twice(made_document):
    from kring.signing.models import Delivery

    before = documents.pdf_bytes(made_document)
    copies = Delivery.objects.filter(document=made_document).count()
    assert copies >= 3  # Daan, Sanne and Joost have an e-mail address; Ria has none
    assert tasks.make(made_document.pk) is False
    tasks.make_document(made_document.pk)  # queued again (run at once in the tests)
    made_document.refresh_from_db()
    assert made_document.attempts == 1
    assert StoredPdf.objects.filter(document=made_document).count() == 1
    assert documents.pdf_bytes(made_document) == before
    assert Delivery.objects.filter(document=made_document).count() == copies


def test_a_run_retried_after_the_pdf_was_stored_still_sends_the_copies(pending_document):
    from kring.signing.models import Delivery

    assert tasks.make(pending_document.pk) is True  # the PDF stored, then the worker died
    assert not Delivery.objects.filter(document=pending_document).exists()
    tasks.make_document(pending_document.pk)  # Huey's retry, or the same task queued again
    assert Delivery.objects.filter(document=pending_document).count() >= 3


def test_a_document_another_worker_holds_is_left_alone(pending_document):
    SignedDocument.objects.filter(pk=pending_document.pk).update(claimed_at=timezone.now())
    assert tasks.make(pending_document.pk) is False
    pending_document.refresh_from_db()
    assert pending_document.status == SignedDocument.Status.PENDING
    # A claim older than a worker may take is a worker that died: taken over.
    SignedDocument.objects.filter(pk=pending_document.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=tasks.CLAIM_SECONDS + 1)
    )
    assert tasks.make(pending_document.pk) is True


def test_a_failure_records_the_class_only_and_gives_up_after_the_last_try(
    pending_document, settings
):
    from kring.signing.models import Signature

    # A name in the message of an exception must never reach the record.
    Signature.objects.filter(version=pending_document.version).update(typed_name="Geheim")
    settings.KRING_SEAL_DEMO = False
    settings.KRING_SEAL_PKCS12 = ""
    for attempt in range(1, tasks.MAX_ATTEMPTS):
        with pytest.raises(tasks.DocumentNotMade):
            tasks.make(pending_document.pk)
        pending_document.refresh_from_db()
        assert pending_document.status == SignedDocument.Status.PENDING
        assert pending_document.attempts == attempt
        assert pending_document.last_error == "ImproperlyConfigured"
        assert pending_document.claimed_at is None
    assert tasks.make(pending_document.pk) is False  # the last try
    pending_document.refresh_from_db()
    assert pending_document.status == SignedDocument.Status.FAILED
    assert pending_document.attempts == tasks.MAX_ATTEMPTS
    assert not StoredPdf.objects.exists()
    # Once given up, a later run does nothing, even with the seal back.
    settings.KRING_SEAL_DEMO = True
    assert tasks.make(pending_document.pk) is False


def test_the_sweep_makes_what_a_crashed_worker_left(pending_document):
    # Not yet stale: the sweep leaves a document whose task is surely still queued.
    tasks.sweep_documents.call_local()
    pending_document.refresh_from_db()
    assert pending_document.status == SignedDocument.Status.PENDING
    SignedDocument.objects.filter(pk=pending_document.pk).update(
        created_at=timezone.now() - timedelta(minutes=10),
        claimed_at=timezone.now() - timedelta(minutes=10),
        attempts=1,
    )
    tasks.sweep_documents.call_local()
    pending_document.refresh_from_db()
    assert pending_document.status == SignedDocument.Status.MADE
    assert pending_document.attempts == 2


def test_the_task_leaves_the_case_state_alone(pending_document):
    case = pending_document.case
    state = case.state
    tasks.make(pending_document.pk)
    case.refresh_from_db()
    assert case.state == state
