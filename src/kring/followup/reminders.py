"""Reminders of follow-up (issue 12, point 3), each sent exactly once: the proof is a
SentReminder row with a unique `key`, written in the same transaction as its mail (queue_mail),
so a task run twice, two workers, or a worker restarted in the middle still send one.

- `due_soon(now) -> int`: to the owner of each current agreement that is open or partly done,
  with an e-mail address, whose date is KRING_DUE_REMINDER_DAYS days away or less (and not
  passed): key "due:<tracked id>:<due date>" (a new date, a new reminder). A mail in plain
  Dutch (B1) without the agreement's text: that a date is near, and a link to the personal page
  is not put in the mail (the personal link is the participant's own; they use it).
- `digest(now) -> int`: once a week (the ISO week in Amsterdam), to each coordinator with cases
  in follow-up that have overdue agreements or unanswered reports: key
  "digest:<user id>:<ISO year>-W<week>"; the mail says how many, per case reference, and links
  to the cases: no names, no text.
- `contact_due(now) -> int`: the follow-up Contact whose day has come and is not done: a mail
  to the coordinator, key "contact:<contact id>".
- `send_all(now=None) -> dict[str, int]`: all three (what the periodic task runs).
Nothing is sent for a case that is not in follow-up any more (closed).
"""
