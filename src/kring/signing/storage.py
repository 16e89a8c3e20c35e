"""Where the sealed PDFs are kept (issue 11, point 6): never on a local disk that another app
server or worker cannot read. `settings.KRING_DOCUMENT_STORAGE` is "database" (the default: the
bytes in `StoredPdf`, a table of their own) or the name of an entry in `settings.STORAGES`: an
object store the operator configures (S3 through django-storages, for example), where the file
is `signed/<code>.pdf`. The document records where its bytes are, their SHA-256 and size, so
a document made before the setting changed is still found, and bytes changed in the store are
refused on load."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from kring.signing.models import SignedDocument, StoredPdf

DATABASE = "database"


class TamperedDocument(Exception):
    """The stored bytes are not the ones recorded when the document was made."""


class MissingDocument(Exception):
    """The document has no stored bytes (not made yet, or lost from its store)."""


def save(document: SignedDocument, data: bytes) -> None:
    """Store `data` as `document`'s PDF where the settings say; sets `storage`, `name`,
    `sha256` and `size` on the document (the caller saves those fields)."""
    where = settings.KRING_DOCUMENT_STORAGE
    if where == DATABASE:
        StoredPdf.objects.update_or_create(document=document, defaults={"data": data})
        name = ""
    else:
        store = storages[where]
        name = f"signed/{document.code}.pdf"
        if store.exists(name):  # a retried task: the earlier attempt's file is replaced
            store.delete(name)
        saved = store.save(name, ContentFile(data))
        if saved != name:
            raise RuntimeError("the store renamed the document")
    document.storage = where
    document.name = name
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.size = len(data)


def load(document: SignedDocument) -> bytes:
    """The document's bytes from the store it was saved in; TamperedDocument when their SHA-256
    is not the recorded one, MissingDocument when there are none."""
    if not document.storage or not document.sha256:
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
