"""The changes research makes (issue 13, point 1), one function each: transaction, actor,
policy, audit event, side effects after commit (docs/architecture.md, "Actions").

- `record_conference(case, version)`: registered with signing.actions.on_fully_signed (and
  followup.closing.add_on_closed, for safety): the first time a plan of the case is fully
  signed, the conference is recorded for the figures (`ConferenceRecord`, source live: the
  case's team, the day it was held in Amsterdam, how many were present, coordinator not
  counted: conference.queries.present_participants) and everyone present who still takes part
  is invited to the first questionnaire (`Invitation`, role = their side). Each invited
  participant with an e-mail address gets a mail without content after commit ("a short
  questionnaire waits on your personal page"). Running it again changes nothing.
- `invite_second_round(today=None)`: the hourly task's work: for every live record held at
  least settings.KRING_EVALUATION_SECOND_MONTHS months ago (0: never), invites to the second,
  optional questionnaire everyone invited to the first who still takes part and has no second
  invitation; a mail as above. Runs under the case's lock; running it twice changes nothing.
- `answer(invitation, data, *, by)`: stores one questionnaire: an `Answer` (the record, the
  invitation's role and round, today's date, the numbers and yes/no answers; the harmed-only
  questions only for the harmed role), the free text if any as a `Remark` (case, team, role,
  round, date), and `invitation.answered_at` (and `on_paper` when `by` is staff). Policy:
  research.policy.may_answer for a participant, may_answer_on_paper for staff; under the case's
  lock, so a double submit stores one answer. Audit event "research.answered" (participant id,
  round, on paper; never an answer). Timeline: "filled in the questionnaire" (no content).
"""
