"""The historical import (issue 13, point 3): conferences from before Kring, so the figures
continue. `kring import-history FILE.csv [--create-teams]` and the upload page both call
`read(...)` then `run(...)`.

The file: UTF-8 CSV (a byte-order mark allowed), a header row with exactly these columns (in
any order): conference_ref, held_on, team, participants_present, role, satisfied,
situation_restored, said_well, good_agreements. One row per answered questionnaire; a
conference without answers has one row with an empty role. Per row:

- `conference_ref`: not empty, at most 100 characters; the rows of one conference (same team
  and ref) agree on held_on and participants_present;
- `held_on`: YYYY-MM-DD, a real date, not in the future;
- `team`: the name of a team (an unknown team is an error unless teams may be created);
- `participants_present`: a whole number of at least 2 (at most 999);
- `role`: harmed, responsible, supporter, other, or empty (then the four numbers are empty too);
- `satisfied`, `situation_restored`, `said_well`, `good_agreements`: a whole number 1 to 5, or
  empty; the last three only for role harmed.

A file with any bad row imports nothing and reports every fault: line (the header is line 1),
column, value (shortened) and reason, in the active language. A conference already imported
(same team and ref) with the same day, number present and answers is skipped, so importing a
file twice changes nothing the second time; one already imported with different values is a
fault. Everything is written in one transaction with bulk inserts; a `HistoryImport` row and an
audit event ("research.history_imported": counts and the file's hash, never its content)
record it.
"""
