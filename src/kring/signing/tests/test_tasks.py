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
    SignedDocument.objects.filter(pk=pending_document.pk).update(
        claimed_at=timezone.now(), claim_token="another worker's token"
    )
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
        assert pending_document.claim_token is None  # not held: Huey's retry may claim it
    assert tasks.make(pending_document.pk) is False  # the last try
    pending_document.refresh_from_db()
    assert pending_document.status == SignedDocument.Status.FAILED
    assert pending_document.attempts == tasks.MAX_ATTEMPTS
    assert not StoredPdf.objects.exists()
    # Once given up, a run within the hour does nothing, even with the seal back (the sweep
    # tries it again later: test_a_failed_document_is_tried_again_an_hour_after_its_last_try).
    settings.KRING_SEAL_DEMO = True
    assert tasks.make(pending_document.pk) is False
    pending_document.refresh_from_db()
    assert pending_document.status == SignedDocument.Status.FAILED


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


def test_a_late_worker_s_result_is_discarded_and_the_document_stays_readable(pending_document):
    """Worker A claims, takes longer than a claim lasts, B takes over and makes the document;
    then A finishes too. Only B's PDF counts: A's is discarded, the record and the stored bytes
    agree, and the copies can be sent."""
    from kring.signing.models import Delivery

    document_id = pending_document.pk
    start = timezone.now()
    token_a = tasks.claim(document_id, now=start)
    assert token_a is not None
    # While A's claim is fresh nobody else may take the document.
    assert tasks.claim(document_id, now=start + timedelta(seconds=tasks.CLAIM_SECONDS - 1)) is None
    token_b = tasks.claim(document_id, now=start + timedelta(seconds=tasks.CLAIM_SECONDS + 1))
    assert token_b is not None and token_b != token_a
    assert tasks.attempt(document_id, token_b) is True
    made = SignedDocument.objects.get(pk=document_id)
    by_b = documents.pdf_bytes(made)

    assert tasks.attempt(document_id, token_a) is False  # A finishes late: discarded
    document = SignedDocument.objects.get(pk=document_id)
    assert document.status == SignedDocument.Status.MADE
    assert (document.sha256, document.made_at, document.attempts) == (
        made.sha256,
        made.made_at,
        2,
    )
    assert documents.pdf_bytes(document) == by_b  # readable: bytes and record agree
    assert bytes(StoredPdf.objects.get(document=document).data) == by_b
    assert seal.check(by_b).ok
    tasks.make_document(document_id)
    assert Delivery.objects.filter(document=document).count() >= 3


def test_in_an_object_store_only_the_winning_attempt_s_file_is_kept(
    pending_document, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "plans": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.KRING_DOCUMENT_STORAGE = "plans"
    document_id = pending_document.pk
    start = timezone.now()
    token_a = tasks.claim(document_id, now=start)
    token_b = tasks.claim(document_id, now=start + timedelta(seconds=tasks.CLAIM_SECONDS + 1))
    assert tasks.attempt(document_id, token_b) is True
    assert tasks.attempt(document_id, token_a) is False
    document = SignedDocument.objects.get(pk=document_id)
    assert document.name == f"signed/{document.code}-{token_b}.pdf"
    assert [p.name for p in (tmp_path / "signed").iterdir()] == [f"{document.code}-{token_b}.pdf"]
    assert seal.check(documents.pdf_bytes(document)).ok


def test_a_failed_document_is_tried_again_an_hour_after_its_last_try(pending_document, settings):
    """No seal for a while: the document fails after its tries. The operator configures the
    seal; within the hour nothing happens, an hour after the last try the sweep makes the PDF
    and the copies go out."""
    from kring.signing.models import Delivery

    settings.KRING_SEAL_DEMO = False
    settings.KRING_SEAL_PKCS12 = ""
    SignedDocument.objects.filter(pk=pending_document.pk).update(
        attempts=tasks.MAX_ATTEMPTS - 1,
        created_at=timezone.now() - timedelta(minutes=30),
    )
    assert tasks.make(pending_document.pk) is False
    pending_document.refresh_from_db()
    assert pending_document.status == SignedDocument.Status.FAILED
    assert pending_document.last_error == "ImproperlyConfigured"

    settings.KRING_SEAL_DEMO = True  # the seal is configured
    now = timezone.now()
    assert tasks.due(now) == []
    tasks.sweep_documents.call_local()
    pending_document.refresh_from_db()
    assert pending_document.status == SignedDocument.Status.FAILED
    assert pending_document.last_error == "ImproperlyConfigured"  # still visible
    assert not Delivery.objects.filter(document=pending_document).exists()

    assert tasks.due(now + timedelta(seconds=tasks.FAILED_RETRY_SECONDS + 1)) == [
        pending_document.pk
    ]
    SignedDocument.objects.filter(pk=pending_document.pk).update(
        claimed_at=now - timedelta(seconds=tasks.FAILED_RETRY_SECONDS + 1)
    )
    tasks.sweep_documents.call_local()
    pending_document.refresh_from_db()
    assert pending_document.status == SignedDocument.Status.MADE
    assert pending_document.last_error == ""
    assert pending_document.attempts == tasks.MAX_ATTEMPTS + 1
    assert seal.check(documents.pdf_bytes(pending_document)).ok
    assert Delivery.objects.filter(document=pending_document).count() >= 3


def test_a_failed_document_tried_again_and_failing_stays_failed_for_another_hour(
    pending_document, settings
):
    settings.KRING_SEAL_DEMO = False
    settings.KRING_SEAL_PKCS12 = ""
    long_ago = timezone.now() - timedelta(seconds=tasks.FAILED_RETRY_SECONDS + 1)
    SignedDocument.objects.filter(pk=pending_document.pk).update(
        status=SignedDocument.Status.FAILED,
        attempts=tasks.MAX_ATTEMPTS,
        claimed_at=long_ago,
        created_at=long_ago,
        last_error="ImproperlyConfigured",
    )
    tasks.sweep_documents.call_local()  # tried once, fails again, no Huey retries
    pending_document.refresh_from_db()
    assert pending_document.status == SignedDocument.Status.FAILED
    assert pending_document.attempts == tasks.MAX_ATTEMPTS + 1
    assert pending_document.claimed_at > long_ago
    assert tasks.due(timezone.now()) == []


def test_a_present_guardian_who_signs_for_a_minor_too_is_counted_once(
    final_version, carla, daan, sanne, joost, ria, django_capture_on_commit_callbacks
):
    """Joost, at the meeting, signs his own place and, as Sanne's guardian, hers, on Carla's
    tablet: five signatures by four people. The verification page says how many people signed."""
    from kring.audit.actors import Actor
    from kring.circle.models import Participant
    from kring.signing import actions, consent
    from kring.signing.models import Role, Signature

    def sign(person, role=Role.OWN, signer=None):
        signer = signer or person
        actions.sign(
            final_version,
            person.pk,
            role,
            by=Actor.in_person(signer, for_participant=person if role == Role.GUARDIAN else None),
            typed_name=signer.name,
            agreed=True,
            consent_text=consent.consent_text(final_version, "nl"),
            host=carla,
        )

    Participant.objects.filter(pk=sanne.pk).update(is_minor=True, guardian=joost)
    with django_capture_on_commit_callbacks(execute=False):
        for person in (daan, sanne, joost, ria):
            sign(person)
        sign(sanne, Role.GUARDIAN, signer=joost)
    document = SignedDocument.objects.get(version=final_version)
    assert Signature.objects.filter(version=final_version).count() == 5
    assert document.signer_count == 4
