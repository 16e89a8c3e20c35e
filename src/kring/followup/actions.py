"""Follow-up, one function per state change (docs/architecture.md "Actions"): a transaction
that locks the case (cases.actions.lock_case), the actor (a staff user, a participant from their
personal page, or Kring itself), the policy (followup.policy, enforced), the audit event and the
timeline line, and the side effects after commit. Typed text (a note, a report, an answer) is
stored on its row only: never in a timeline event, the audit log, a URL or an e-mail.

- `sync(case, version) -> list[TrackedAgreement]`: called by signing when `version` is fully
  signed (signing.actions.on_fully_signed, inside its transaction; actor SYSTEM). The first time:
  a TrackedAgreement per agreement of the version (content copied from the plan's rows, which
  equal the version while the plan is final), the first Contact (due on the meeting's date +
  settings.KRING_FOLLOWUP_CONTACT_DAYS), timeline event "followup.started". A later version
  (a change by mutual consent, R14): an agreement whose content is unchanged keeps its row and
  state (its `version` and `number` follow); a changed one becomes "changed" with `replaced_by`
  its new open row and a VERSION change line on both; a dropped one becomes "changed" with no
  successor; a new one gets an open row. Timeline event "followup.agreements_changed" with the
  version number. Running it twice for one version changes nothing.
- `set_state(tracked, state, *, by, note="") -> TrackedAgreement`: the coordinator records a
  state (followup.policy.SETTABLE) with a short note (at most NOTE_MAX characters). A STATE change
  line; timeline event "followup.state_set" with the agreement's number and the state code.
- `report_done(tracked, *, by, participant, text) -> Report`: the owner, Actor.in_portal;
  `text` required. A Report (kind done), a REPORTED_DONE change line, a notice for the
  coordinator (circle.notices, kind REPORTED_DONE: "Wacht op jou" and the content-free mail),
  timeline event "followup.reported_done". A retried request (the same text within a minute,
  still unanswered) returns the existing report.
- `invoke(tracked, *, by, participant, text) -> Report`: as report_done, kind not_kept, notice
  kind INVOKED, event "followup.invoked".
- `answer(report, *, by, text, state=None) -> Report`: the coordinator answers (text required);
  with `state`, the agreement's state is set too (as set_state). ANSWERED change line; the
  report's notice is handled; the participant is told by a mail without content that an answer
  waits on their personal page (when they have an e-mail address). Event "followup.answered".
- `confirm_done(report, *, by, note="") -> Report`: the agreement becomes done; CONFIRMED line;
  outcome confirmed; as answer otherwise (`note` is the answer the participant reads, may be
  empty: then a standard sentence is shown).
- `ask_back(report, *, by, text) -> Report`: outcome asked_back, text required; ASKED_BACK line.
- `record_contact(contact, *, by, note="") -> Contact`: the follow-up contact took place.
  Event "followup.contact_recorded".

What is typed is checked here, once, for every page (the staff pages, the portal): required where
said, at most NOTE_MAX (a note) or TEXT_MAX (a report, an answer) characters, no NUL character;
a refusal is a Refused with the user's words and changes nothing.
"""

from __future__ import annotations

NOTE_MAX = 500
TEXT_MAX = 2000

# The notices for the coordinator (circle.notices.add_kinds in registration).
REPORTED_DONE = "followup.reported_done"
INVOKED = "followup.invoked"
