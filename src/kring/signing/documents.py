"""The signed document of a fully signed version: its record (made inside the signing
transaction by `start`), its PDF made and sealed by the task queue (signing.tasks), its bytes
kept by signing.storage.

Contract (filled in by the document part of issue 11):
- `start(version) -> SignedDocument`: inside the caller's transaction; creates the pending
  record with a fresh verification code and queues tasks.make_document(document.pk) on commit.
- `new_code() -> str`: 12 characters of Crockford's alphabet, shown in groups of four.
- `pdf_bytes(document) -> bytes`: the sealed PDF, from its store.
"""
