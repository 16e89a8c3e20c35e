"""The public verification page's answers (R14, issue 11 point 5): is a PDF, or a code, an intact
Kring plan with a valid seal; when was it sealed; how many people signed it. Nothing more: no
names, no case reference, nothing a stranger may not know.

A PDF is checked twice: its seal (signing.seal.check: intact, covers the whole file, nothing
changed after it, sealed by a certificate this installation trusts, or by the certificate whose
fingerprint was recorded when the document with its SHA-256 was sealed) and its SHA-256 against
the documents Kring made. A code answers from the record only, so it cannot say whether a copy in
someone's hands was changed: the page says to upload it for that."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from kring.conference.models import PlanVersion
from kring.signing import documents, seal
from kring.signing.models import SignedDocument

# What `problem` may be: "" (all is well), or one of these.
CHANGED = "changed"  # damaged, or changed after the seal
NOT_OURS = "not_ours"  # no seal, or a seal this installation did not make
UNKNOWN = "unknown"  # a well-formed code (or a sealed file) that Kring has no record of
PENDING = "pending"  # the code's document is still being made


@dataclass(frozen=True)
class Answer:
    """What the page may say. `document` is for the audit log only, never shown."""

    problem: str
    sealed_at: datetime | None = None
    signer_count: int = 0
    replaced: bool = False  # a newer version of the same plan was made final since
    document: SignedDocument | None = None

    @property
    def ok(self) -> bool:
        return not self.problem


def _replaced(document: SignedDocument) -> bool:
    version = document.version
    return PlanVersion.objects.filter(plan_id=version.plan_id, number__gt=version.number).exists()


def _answer(document: SignedDocument) -> Answer:
    return Answer(
        problem="",
        sealed_at=document.made_at,
        signer_count=document.signer_count,
        replaced=_replaced(document),
        document=document,
    )


def by_upload(data: bytes) -> Answer:
    """The answer for an uploaded file's bytes. A file Kring made (its SHA-256 is a made
    document's) is trusted with the certificate recorded when it was sealed, so that a copy made
    before the seal was renewed still verifies; any other file only with the current seal."""
    digest = hashlib.sha256(data).hexdigest()
    document = (
        SignedDocument.objects.select_related("version")
        .filter(sha256=digest, status=SignedDocument.Status.MADE)
        .first()
    )
    sealed_with = frozenset({document.seal_fingerprint} if document is not None else ()) - {""}
    checked = seal.check(data, also_trusted=sealed_with)
    if not checked.ok:
        return Answer(problem=CHANGED if checked.problem == "changed" else NOT_OURS)
    if document is None:  # our seal, but not a file we made and kept: not a plan we vouch for
        return Answer(problem=UNKNOWN)
    return _answer(document)


def by_code(typed: str) -> Answer | None:
    """The answer for a typed verification code; None when it cannot be a code at all."""
    code = documents.parse_code(typed)
    if code is None:
        return None
    document = SignedDocument.objects.select_related("version").filter(code=code).first()
    if document is None or document.status == SignedDocument.Status.FAILED:
        return Answer(problem=UNKNOWN)
    if document.status == SignedDocument.Status.PENDING:
        return Answer(problem=PENDING, document=document)
    return _answer(document)
