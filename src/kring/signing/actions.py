"""Signing, one function per state change (docs/architecture.md "Actions"): a transaction, the
actor (a participant, never the hosting coordinator), the policy, the audit event and the side
effects after commit.

To be filled in by the core of issue 11; the contract:

- `sign(version, participant_id, role, *, by, typed_name, agreed, consent_text, drawing="",
  host=None, address=None, user_agent="") -> tuple[Signature, bool]`:
  `by` is Actor.in_person(signer, for_participant=minor) with `host` the coordinator's User,
  or Actor.in_portal(...) with the browser's `address` and `user_agent`. Locks the case;
  checks may_host_signing(host, case) when hosted and may_sign(by, slot, version); refuses
  when `agreed` is False or `typed_name` is empty (a Refused with the user's words). Stores the
  version's hash and the consent text shown. Idempotent: a retried request for a slot the same
  signer already signed returns (that signature, False) and writes nothing. When it was the
  last slot: the case moves "follow_up" (if it is "conference_held") and
  documents.start(version) makes the SignedDocument, whose PDF the task queue makes after
  commit. Timeline event "signing.signed" with the version number, actor = the participant.
- `decline(version, participant_id, role, *, by, reason, host=None) -> Declination`:
  the reason is stored on the row only (never in the event's data). Timeline event
  "signing.declined".
"""
