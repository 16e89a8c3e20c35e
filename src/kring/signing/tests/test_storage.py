"""Where the sealed PDFs are kept (issue 11, point 6): in the database, or in a configured
STORAGES entry (an object store; here a FileSystemStorage in a temporary folder), never on an
app server's own disk by default; bytes changed in the store are refused on load."""

import hashlib

import pytest

from kring.signing import documents, storage
from kring.signing.models import SignedDocument, StoredPdf
from kring.signing.tests.document_fixtures import made_document, pending_document, signed_version

__all__ = ["made_document", "pending_document", "signed_version"]

pytestmark = pytest.mark.django_db

DATA = b"%PDF-1.7\n% a sealed plan\n%%EOF\n"


def test_in_the_database_by_default(pending_document):
    storage.save(pending_document, DATA)
    pending_document.save()
    document = SignedDocument.objects.get(pk=pending_document.pk)
    assert document.storage == "database" and document.name == ""
    assert document.sha256 == hashlib.sha256(DATA).hexdigest() and document.size == len(DATA)
    assert bytes(StoredPdf.objects.get(document=document).data) == DATA
    assert storage.load(document) == DATA


def test_a_changed_byte_in_the_database_is_refused_on_load(pending_document):
    storage.save(pending_document, DATA)
    pending_document.save()
    assert storage.load(pending_document) == DATA
    StoredPdf.objects.filter(document=pending_document).update(data=DATA.replace(b"a", b"b", 1))
    with pytest.raises(storage.TamperedDocument):
        storage.load(pending_document)


def test_in_a_configured_store(pending_document, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "plans": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.KRING_DOCUMENT_STORAGE = "plans"
    storage.save(pending_document, DATA)
    pending_document.save()
    document = SignedDocument.objects.get(pk=pending_document.pk)
    assert document.storage == "plans"
    assert document.name.startswith(f"signed/{document.code}-")  # named after the attempt
    assert (tmp_path / document.name).read_bytes() == DATA
    assert not StoredPdf.objects.exists()
    assert storage.load(document) == DATA
    # A document keeps the store it was saved in when the setting changes later.
    settings.KRING_DOCUMENT_STORAGE = "database"
    assert storage.load(document) == DATA
    (tmp_path / document.name).write_bytes(DATA + b" ")
    with pytest.raises(storage.TamperedDocument):
        storage.load(document)


def test_the_task_keeps_the_pdf_in_the_configured_store(
    signed_version, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.db import transaction

    settings.STORAGES = {
        **settings.STORAGES,
        "plans": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.KRING_DOCUMENT_STORAGE = "plans"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        document = documents.start(signed_version)
    document.refresh_from_db()
    assert document.status == SignedDocument.Status.MADE
    stored = (tmp_path / document.name).read_bytes()
    assert stored.startswith(b"%PDF-") and documents.pdf_bytes(document) == stored


def test_a_document_not_made_has_no_bytes(pending_document):
    with pytest.raises(storage.MissingDocument):
        storage.load(pending_document)
