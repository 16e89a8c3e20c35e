"""The signed document of a fully signed version (R14, issue 11 point 3): its record (made inside
the signing transaction by `start`), its PDF made and sealed by the task queue (signing.tasks),
its bytes kept by signing.storage.

- `start(version) -> SignedDocument`: inside the caller's transaction; creates the pending
  record with a fresh verification code and queues tasks.make_document(document.pk) on commit.
  Idempotent: a version has at most one document.
- `new_code() -> str`: 12 characters of Crockford's alphabet (60 bits from `secrets`), shown in
  groups of four (`grouped`); `parse_code` reads a typed code leniently (case, spaces, dashes,
  O as 0, I and L as 1), as the portal's invitation codes are read.
- `pdf_bytes(document) -> bytes`: the sealed PDF, from its store.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from kring.circle import links
from kring.signing import storage
from kring.signing.models import Signature, SignedDocument

_NEW_CODE_TRIES = 5


# The verification code has the letter code's format (circle.links): made, grouped and read
# the same way, so its rules are said once, there.
def new_code() -> str:
    return links.new_code()


def grouped(code: str) -> str:
    """`7KQ4M2XD9HBR` as `7KQ4-M2XD-9HBR`."""
    return links.grouped(code)


def parse_code(typed: str) -> str | None:
    """The code in `typed`, or None when it cannot be one (wrong length, a letter outside the
    alphabet such as U)."""
    return links.normalise(typed or "")


def start(version) -> SignedDocument:
    """The version's document, made pending with a fresh code if it has none; its PDF is queued
    when the caller's transaction commits (ids only). The case is the version's plan's."""
    from kring.signing import tasks

    existing = SignedDocument.objects.filter(version=version).first()
    if existing is not None:
        return existing
    case = version.plan.case
    # People, not signatures: a guardian at the meeting signs their own place and the minor's.
    count = Signature.objects.filter(version=version).values("signed_by").distinct().count()
    for attempt in range(_NEW_CODE_TRIES):
        try:
            with transaction.atomic():  # a savepoint: a clash of codes leaves the caller's work
                document = SignedDocument.objects.create(
                    version=version,
                    case=case,
                    code=new_code(),
                    created_at=timezone.now(),
                    signer_count=count,
                )
            break
        except IntegrityError:
            existing = SignedDocument.objects.filter(version=version).first()
            if existing is not None:
                return existing
            if attempt == _NEW_CODE_TRIES - 1:
                raise
    document_id = document.pk
    transaction.on_commit(lambda: tasks.make_document(document_id))
    return document


def pdf_bytes(document: SignedDocument) -> bytes:
    """The sealed PDF's bytes, checked against the recorded SHA-256 (signing.storage.load)."""
    return storage.load(document)
