"""Where the sealed PDFs are kept (issue 11, point 6): never on a local disk that another app
server or worker cannot read. `settings.KRING_DOCUMENT_STORAGE` is "database" (the default: the
bytes in `StoredPdf`, a table of their own) or the name of an entry in `settings.STORAGES`: an
object store the operator configures (S3 through django-storages, for example), where the file
is `signed/<code>-<attempt>.pdf` (older documents: `signed/<code>.pdf`). The document records
where its bytes are, their SHA-256 and size, so a document made before the setting changed is
still found, and bytes changed in the store are refused on load."""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from kring.signing.models import SignedDocument, StoredPdf

DATABASE = "database"


class TamperedDocument(Exception):
    """The stored bytes are not the ones recorded when the document was made."""


class MissingDocument(Exception):
    """The document has no stored bytes (not made yet, or lost from its store)."""


@dataclass(frozen=True)
class Stored:
    """Bytes written by one attempt (`put`), not yet the document's: `keep` records them."""

    storage: str
    name: str
    sha256: str
    size: int


def put(document: SignedDocument, data: bytes, attempt: str) -> Stored:
    """Write `data` where the settings say, outside any transaction. In an object store the file
    is named after the attempt (`signed/<code>-<attempt>.pdf`): two workers that both made the
    document never write the same file, and only the one whose attempt is recorded (`keep`)
    counts; the other's file is removed (`discard`). The database is written by `keep`."""
    where = settings.KRING_DOCUMENT_STORAGE
    digest = hashlib.sha256(data).hexdigest()
    if where == DATABASE:
        return Stored(DATABASE, "", digest, len(data))
    store = storages[where]
    name = f"signed/{document.code}-{attempt}.pdf"
    saved = store.save(name, ContentFile(data))
    if saved != name:
        store.delete(saved)
        raise RuntimeError("the store renamed the document")
    return Stored(where, name, digest, len(data))


def keep(document: SignedDocument, stored: Stored, data: bytes) -> None:
    """Make `stored` the document's bytes: inside the transaction that marks the document made,
    with its row locked. Sets `storage`, `name`, `sha256` and `size` (the caller saves them)."""
    if stored.storage == DATABASE:
        StoredPdf.objects.update_or_create(document=document, defaults={"data": data})
    document.storage = stored.storage
    document.name = stored.name
    document.sha256 = stored.sha256
    document.size = stored.size


def discard(stored: Stored) -> None:
    """Remove an attempt's file that was not kept (another worker's attempt won)."""
    if stored.storage != DATABASE:
        with contextlib.suppress(Exception):  # an orphan file is harmless; never fail for it
            storages[stored.storage].delete(stored.name)


def save(document: SignedDocument, data: bytes) -> None:
    """`put` and `keep` at once, for a caller that holds the document alone (tests, tools)."""
    keep(document, put(document, data, uuid.uuid4().hex), data)


def load(document: SignedDocument) -> bytes:
    """The document's bytes from the store it was saved in; TamperedDocument when their SHA-256
    is not the recorded one, MissingDocument when there are none."""
    if not document.storage or not document.sha256 or document.is_erased:
        raise MissingDocument(document.pk)
    if document.storage == DATABASE:
        row = StoredPdf.objects.filter(document=document).first()
        if row is None:
            raise MissingDocument(document.pk)
        data = bytes(row.data)
    else:
        store = storages[document.storage]
        if not store.exists(document.name):
            raise MissingDocument(document.pk)
        with store.open(document.name, "rb") as handle:
            data = handle.read()
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise TamperedDocument(document.pk)
    return data
