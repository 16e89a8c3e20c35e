"""Learning from every conference (R16, docs/rules.md): the questionnaires and the figures.

Two kinds of table, kept apart on purpose (docs/adr/0011-research.md):

- **The research tables** hold no name, no contact detail and no free text: `ConferenceRecord`
  (one per conference held, live or imported: its team, its day, how many people were present)
  and `Answer` (one per answered questionnaire: the role, which questionnaire, the numbers and
  the yes/no/not-applicable answers). An answer points at its conference record, never at a
  person, and carries no day or time of its own (the day an invitation was answered would
  match it to the person). The figures (research.figures) read
  only these two tables and the anonymous state of cases, so they outlive the erasure of a case
  (a record's `case` becomes NULL).
- **The working tables** know who was asked: `Invitation` (a participant asked to fill in a
  questionnaire, and whether they did: never what they answered) and `Remark` (the free-text
  answer "anything else?", which may name people: it belongs to the case, is erased with it,
  and is shown to the team's manager only). `HistoryImport` records each historical file
  imported (who, when, how many rows, the file's hash), never the file.

Imported conferences (`Source.IMPORTED`, research.importing) come from before Kring: their
reference is the organisation's own (`import_ref`), unique per team, so importing a file twice
changes nothing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kring.core.models import ChoiceLabels


class Source(models.TextChoices):
    LIVE = "live", _("Kring")
    IMPORTED = "imported", _("Imported history")


class AnswerRole(models.TextChoices):
    """The participant's side in the case (circle.models.Side), as the research tables keep it."""

    HARMED = "harmed", _("Harmed")
    RESPONSIBLE = "responsible", _("Responsible")
    SUPPORTER = "supporter", _("Family, friend or acquaintance")
    OTHER = "other", _("Other (teacher, neighbour, ...)")


class Round(models.IntegerChoices):
    # The first questionnaire after the conference; the optional second one some months later
    # (settings.KRING_EVALUATION_SECOND_MONTHS).
    FIRST = 1, pgettext_lazy("questionnaire", "After the conference")
    SECOND = 2, pgettext_lazy("questionnaire", "Some months later")


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_APPLICABLE = "na", _("Not applicable")


def _scale(name):
    return models.PositiveSmallIntegerField(
        name,
        null=True,
        blank=True,
        choices=[(i, str(i)) for i in range(1, 6)],
    )


def _yes_no(name):
    return models.CharField(name, max_length=3, choices=YesNo.choices, blank=True)


class ConferenceRecord(ChoiceLabels, models.Model):
    """One conference held: what the figures count (R16). Live records are made by
    research.actions.record_conference when the plan of a held conference is first fully signed
    (or the case closes without one); imported ones by research.importing."""

    source = models.CharField(max_length=10, choices=Source.choices)
    # The case it came from (live only): the link the working tables need to invite and to
    # erase. NULL for imported conferences, and once the case is erased (the figures stay).
    case = models.OneToOneField(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="research_record",
    )
    # The organisation's own reference of an imported conference (unique per team).
    import_ref = models.CharField(max_length=100, blank=True)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    # Present at the conference, the coordinator not counted (R16).
    participants_present = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    # When the second questionnaire's round was handled for this record (research.actions.
    # invite_second_round), even when nobody was left to invite: the hourly task looks only at
    # records where it is NULL, held in a window of two months, so its work does not grow.
    second_round_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("conference held")
        verbose_name_plural = _("conferences held")
        indexes = [models.Index(fields=["held_on", "team"], name="record_held_team")]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "import_ref"],
                condition=models.Q(source="imported"),
                name="record_import_ref_once",
            ),
            models.CheckConstraint(
                condition=models.Q(participants_present__gte=2),
                name="record_at_least_two_present",
            ),
            models.CheckConstraint(
                condition=models.Q(source="live", import_ref="")
                | models.Q(source="imported", case__isnull=True) & ~models.Q(import_ref=""),
                name="record_live_or_imported",
            ),
        ]

    def __str__(self) -> str:
        return f"conference record {self.pk} ({self.source}, {self.held_on})"


class Answer(ChoiceLabels, models.Model):
    """One answered questionnaire, without the person: their role, which questionnaire and the
    answers; no day (it would match the invitation's `answered_at`). The three questions after "satisfied" are asked of the
    person harmed only (research.questionnaire; a database constraint keeps it so)."""

    record = models.ForeignKey(ConferenceRecord, on_delete=models.CASCADE, related_name="answers")
    role = models.CharField(max_length=20, choices=AnswerRole.choices)
    round = models.PositiveSmallIntegerField(choices=Round.choices, default=Round.FIRST)
    satisfied = _scale(_("satisfied, looking back"))
    situation_restored = _scale(_("the situation is restored"))
    said_well = _scale(_("things were said well"))
    good_agreements = _scale(_("good agreements were made"))
    relations_restored = _yes_no(_("relations restored"))
    less_afraid = _yes_no(_("less afraid"))
    feel_better = _yes_no(_("feel better in yourself"))
    move_on = _yes_no(_("able to move on"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["record", "round", "role"], name="answer_record_round")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="harmed")
                | models.Q(
                    situation_restored__isnull=True,
                    said_well__isnull=True,
                    good_agreements__isnull=True,
                ),
                name="answer_harmed_questions_for_harmed",
            ),
        ]

    def __str__(self) -> str:
        return f"answer {self.pk} ({self.role}, round {self.round})"


class Invitation(models.Model):
    """A participant asked to fill in a questionnaire. Knows who, never what they answered:
    `answered_at` only says that they did (one answer per invitation)."""

    record = models.ForeignKey(
        ConferenceRecord, on_delete=models.CASCADE, related_name="invitations"
    )
    participant = models.ForeignKey(
        "circle.Participant", on_delete=models.CASCADE, related_name="questionnaires"
    )
    round = models.PositiveSmallIntegerField(choices=Round.choices, default=Round.FIRST)
    # The role as the answer will carry it (the participant's side when invited).
    role = models.CharField(max_length=20, choices=AnswerRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Filled in on paper and typed in by the coordinator (research.actions.answer, by staff).
    on_paper = models.BooleanField(default=False)

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "round"], name="invitation_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk} (participant {self.participant_id}, round {self.round})"


class Remark(models.Model):
    """The free-text answer of a questionnaire ("is there anything else you want to tell
    us?"). It may name people, so it is kept with the case, not in the research tables: the
    team's manager reads it, nobody else (research.policy.may_read_remarks)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="remarks")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=AnswerRole.choices)
    round = models.PositiveSmallIntegerField(choices=Round.choices, default=Round.FIRST)
    text = models.TextField(_("anything else"), max_length=2000)
    # The first day of the month it was written (research.actions.answer): never the day, which
    # would match the invitation's `answered_at`.
    created_on = models.DateField()

    class Meta:
        ordering = ["-created_on", "-pk"]
        indexes = [models.Index(fields=["team", "created_on"], name="remark_team_created")]

    def __str__(self) -> str:
        return f"remark {self.pk} of case {self.case_id}"


class HistoryImport(models.Model):
    """One historical file imported (research.importing): who, when, its SHA-256, and how many
    conferences and answers it added (0 and 0 when it was imported before)."""

    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    conferences_added = models.PositiveIntegerField()
    answers_added = models.PositiveIntegerField()

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"history import {self.pk} ({self.sha256[:12]})"


# --- the summary of the figures (issue 15, point 4; research.summary, docs/adr/0017) ----------

# The scale questions and yes/no questions of Answer, as the summary counts them.
SCALE_FIELDS = ("satisfied", "situation_restored", "said_well", "good_agreements")
YES_NO_FIELDS = ("relations_restored", "less_afraid", "feel_better", "move_on")
# The team of a bucket of requests not yet given to a team (a bucket's team is never NULL, so
# that (month, team) is unique on both databases).
NO_TEAM = 0


def bucket_counts() -> tuple[str, ...]:
    """The counts each Bucket keeps, named as research.counts' aggregates name them: the
    funnel's, the conference records', the answers' (every role and scale question, a superset
    of the shares the figures show) and the invitations'."""
    from kring.cases.models import DeclineReason, StopReason

    roles = [role.value for role in AnswerRole]
    return (
        "requests",
        "taken_on",
        "conferences_held",
        "plans_signed",
        "plans_kept",
        *(f"declined_{reason.value}" for reason in DeclineReason),
        *(f"stopped_{reason.value}" for reason in StopReason),
        "n",
        "live",
        "total",
        *(f"answers_{role}" for role in roles),
        *(f"{role}_{q}_{part}" for role in roles for q in SCALE_FIELDS for part in ("n", "agree")),
        *(f"{q}_{part}" for q in YES_NO_FIELDS for part in ("yes", "n")),
        *(f"sent_{role}" for role in roles),
        *(f"done_{role}" for role in roles),
    )


class Bucket(models.Model):
    """The figures' counts of one month (its first day) and one team (NO_TEAM: requests without
    a team): the requests that came in that month (Amsterdam time) with their current team, and
    the conference records held that month with their answers and invitations. Kept up to date
    by research.summary; every column is a count (see bucket_counts)."""

    month = models.DateField()
    team = models.IntegerField()

    class Meta:
        ordering = ["month", "team"]
        constraints = [
            models.UniqueConstraint(fields=["month", "team"], name="bucket_month_team_once")
        ]

    def __str__(self) -> str:
        return f"figures bucket {self.month:%Y-%m} team {self.team}"


for _name in bucket_counts():
    Bucket.add_to_class(_name, models.PositiveIntegerField(default=0))


class PresentCount(models.Model):
    """How many conference records of one bucket had `present` participants present: the
    median of participants present, exactly, from the summary."""

    month = models.DateField()
    team = models.IntegerField()
    present = models.PositiveSmallIntegerField()
    n = models.PositiveIntegerField()

    class Meta:
        ordering = ["month", "team", "present"]
        constraints = [
            models.UniqueConstraint(fields=["month", "team", "present"], name="present_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.n} records with {self.present} present ({self.month:%Y-%m}, {self.team})"


class CaseBucket(models.Model):
    """The team each case was last summarised under, so that a case that changes team also
    refreshes the bucket it leaves. A plain id, not a key: the summary never holds a case."""

    case_id = models.BigIntegerField(primary_key=True)
    team = models.IntegerField()

    def __str__(self) -> str:
        return f"case {self.case_id} summarised under team {self.team}"


class Stale(models.Model):
    """What the summary must bring up to date before the figures are read: a case that changed
    (`case_id`: its old and new buckets, and its conference record's), a bucket
    (`month`, `team`), or everything (all three empty: a rebuild). Written in the transaction of
    the change; research.summary.refresh deletes the rows it has handled."""

    case_id = models.BigIntegerField(null=True, blank=True)
    month = models.DateField(null=True, blank=True)
    team = models.IntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"stale {self.case_id or ''} {self.month or ''} {self.team or ''}".strip()
