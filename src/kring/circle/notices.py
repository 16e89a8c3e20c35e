"""Notices for the coordinator (meldingen): what a participant did that needs the coordinator
reaches them at once (R9: a withdrawal "the coordinator hears of straight away"; issue 8).

A notice is a row (circle.models.Notice) on the case, open until the coordinator marks it
handled: the case page lists the open ones with what to do, and "Mijn zaken" shows which cases
have something waiting (through cases.registry.add_waiting, so `cases` imports nothing of this).
Each new notice also sends the coordinator an e-mail without content: no name, no question, no
case detail, only that something is waiting and a link to the case page.

Later stages (scheduling, the plan, follow-up) sit above the circle: they call `notify` with a
kind of their own and register its words with `add_kinds` from their AppConfig.ready().
"""

from collections.abc import Collection, Mapping

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kring.cases.models import Case
from kring.circle.models import Notice, Participant, Question
from kring.notifications.mail import queue_mail

WITHDRAWN = "circle.withdrawn"
DECLINED = "circle.declined"
NOMINATED = "circle.nominated"
CONSENTED = "circle.consented"
QUESTION = "circle.question"
ACCEPTED_AFTER_ALL = "circle.accepted_after_all"

# What happened, as the coordinator's task list says it ("Sanne: ...").
_KINDS: dict[str, str | Promise] = {
    WITHDRAWN: _("stopped taking part"),
    DECLINED: _("said no to the invitation"),
    NOMINATED: _("named someone who should be there"),
    CONSENTED: _("gave consent"),
    QUESTION: _("asked you a question"),
    ACCEPTED_AFTER_ALL: _("said yes after all, after saying no"),
}
# A withdrawal or a refusal: the coordinator gets in touch, and may record a return.
LEAVING = (WITHDRAWN, DECLINED)


def add_kinds(labels: Mapping[str, str | Promise]) -> None:
    """A later stage's notices and their words (called from its AppConfig.ready())."""
    _KINDS.update(labels)


def label(kind: str) -> str | Promise:
    return _KINDS.get(kind, kind)


def notify(
    case: Case,
    kind: str,
    *,
    participant: Participant | None = None,
    question: Question | None = None,
) -> Notice:
    """A new open notice for the case's coordinator, and an e-mail without content. Call it
    inside the action's transaction: the mail goes out after commit (queue_mail)."""
    notice = Notice.objects.create(
        case=case,
        kind=kind,
        participant=participant,
        question=question,
        created_at=timezone.now(),
    )
    coordinator = case.coordinator
    if coordinator is not None and coordinator.email:
        queue_mail(
            "circle.notice",
            to=coordinator.email,
            language=coordinator.language,
            context={
                "first_name": coordinator.first_name or coordinator.username,
                "link": settings.SITE_URL + reverse("cases:detail", args=[case.pk]),
            },
        )
    return notice


def handle_open(case: Case, *, kinds: Collection[str], participant: Participant, by) -> None:
    """Mark the open notices of `kinds` about `participant` handled (an answer to a question, a
    recorded return: the coordinator has done what the notice asked)."""
    Notice.objects.filter(
        case=case, participant=participant, kind__in=kinds, handled_at__isnull=True
    ).update(handled_at=timezone.now(), handled_by=by)


def open_notices(case: Case) -> list[Notice]:
    return list(
        Notice.objects.filter(case=case, handled_at__isnull=True).select_related(
            "participant", "question"
        )
    )


def waiting(user, case_ids: Collection[int]) -> dict[int, int]:
    """For "Mijn zaken": how many notices wait in each of these cases, for its coordinator."""
    rows = (
        Notice.objects.filter(case_id__in=case_ids, case__coordinator=user, handled_at__isnull=True)
        .values("case_id")
        .annotate(n=Count("pk"))
    )
    return {row["case_id"]: row["n"] for row in rows}
