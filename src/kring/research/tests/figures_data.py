"""Known figures for the tests of the figures pages and exports (issue 13, point 2): conferences
and answers written straight into the research tables, as an imported history would be, so the
numbers on the page can be checked by hand.

- Team Utrecht, 2026: six conferences with 8, 8, 9, 9, 10 and 10 present (mean and median 9.0);
  one answer of a person responsible per conference, five of them 4 or 5 (83.3% satisfied), and
  one of a person harmed, all satisfied, five saying the situation is restored (83.3%).
- Team Zwolle, 2026: four conferences with 3 present each: too few for any figure.
"""

from datetime import date

from kring.research import summary
from kring.research.models import Answer, AnswerRole, ConferenceRecord, Source

# The first half of 2026: before any case a fixture builds (today), so the numbers are exact.
PERIOD = {"from": "2026-01-01", "to": "2026-06-30"}
# Up to the last day the filters take: with the fixtures' cases too.
EVERYTHING = {"from": "2026-01-01", "to": "2100-12-31"}


def conference(team, day: date, present: int, ref: str) -> ConferenceRecord:
    # Written straight into the tables, around Kring's actions: the figures' summary is made
    # again (research.summary), as after the generator.
    summary.mark_everything()
    return ConferenceRecord.objects.create(
        source=Source.IMPORTED, import_ref=ref, team=team, held_on=day, participants_present=present
    )


def utrecht(team, copies: int = 1, first: int = 0) -> list[ConferenceRecord]:
    """Team Utrecht's six conferences (`copies` times, for a larger data set with the same
    figures)."""
    records = []
    for copy in range(first, first + copies):
        for index, (present, satisfied, restored) in enumerate(
            [(8, 5, 5), (8, 5, 5), (9, 4, 5), (9, 4, 5), (10, 5, 5), (10, 2, 1)]
        ):
            record = conference(team, date(2026, 3, 1 + index), present, f"U-{copy}-{index}")
            Answer.objects.create(record=record, role=AnswerRole.RESPONSIBLE, satisfied=satisfied)
            Answer.objects.create(
                record=record,
                role=AnswerRole.HARMED,
                satisfied=4,
                situation_restored=restored,
                said_well=4,
                good_agreements=4,
            )
            records.append(record)
    return records


def zwolle(team) -> list[ConferenceRecord]:
    records = []
    for index in range(4):
        record = conference(team, date(2026, 4, 1 + index), 3, f"Z-{index}")
        Answer.objects.create(record=record, role=AnswerRole.RESPONSIBLE, satisfied=5)
        records.append(record)
    return records
