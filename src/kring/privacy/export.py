"""A participant's export (GDPR article 15; issue 14, point 8; docs/data-retention.md "A
person's rights"): everything Kring holds about one participant, gathered from every app through
`kring.cases.registry.participant_export`, shown to the exporter first and then downloaded as a
PDF (WeasyPrint, PDF/UA, in the participant's language) or as JSON (stable keys, ISO dates, a
schema version).

What each app gives is about this participant or came from them. What is left out, and why, is
`LEFT_OUT`: the preview, the PDF and the JSON all say it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kring.audit import labels
from kring.audit.models import AuditEvent
from kring.cases import registry
from kring.cases.registry import ExportItem, ExportSection
from kring.circle.models import Participant

SCHEMA = "kring.participant-export/1"
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")

# What is never in an export, and why (R7, R18). Each app's export function keeps to this.
LEFT_OUT = (
    _(
        "What other people in the case said or wrote: their conversations, questions, reports "
        "and remarks. What is said in a case stays with the person who said it."
    ),
    _("The coordinator's safety check. It may rest on what others said, so it is not given out."),
    _("The contact details of other people in the case."),
    _("The request's account of what happened: that is the account of the person who asked."),
    _(
        "If you also asked for the conference yourself: what you filled in on the request form. "
        "It is not linked to you in the case; the coordinator can give it to you."
    ),
    _("Personal links, codes and other secrets: only when a link was made and until when."),
    _("Answers to questionnaires: they are stored without a name, so nobody can find them back."),
    _("What the log of Kring records about other people."),
)


@dataclass(frozen=True)
class Export:
    participant: Participant
    sections: list[ExportSection]
    made_at: datetime
    language: str


def collect(participant: Participant, *, language: str | None = None) -> Export:
    """Everything the apps hold about `participant`, with labels in `language` (the
    participant's own for a download; the exporter's for the preview)."""
    language = language or participant.language or settings.LANGUAGE_CODE
    with translation.override(language):
        sections = registry.participant_export(participant)
        # Freeze every lazy label in the language asked for.
        sections = [
            ExportSection(
                s.key,
                str(s.title),
                tuple(ExportItem(i.key, str(i.label), i.value, i.when) for i in s.items),
            )
            for s in sections
        ]
    return Export(participant, sections, timezone.now(), language)


def _iso(when: date | datetime | None) -> str | None:
    if when is None:
        return None
    if isinstance(when, datetime):
        return when.astimezone(LOCAL_TIME).isoformat()
    return when.isoformat()


def as_json(export: Export) -> bytes:
    p = export.participant
    with translation.override(export.language):
        body: dict[str, Any] = {
            "schema": SCHEMA,
            "made_at": _iso(export.made_at),
            "language": export.language,
            "organisation": settings.KRING_ORGANISATION,
            "case": p.case.reference,
            "participant": p.pk,
            "sections": [
                {
                    "key": s.key,
                    "title": str(s.title),
                    "items": [
                        {
                            "key": i.key,
                            "label": str(i.label),
                            "value": i.value,
                            "when": _iso(i.when),
                        }
                        for i in s.items
                    ],
                }
                for s in export.sections
            ],
            "left_out": [str(reason) for reason in LEFT_OUT],
        }
    return json.dumps(body, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


def as_pdf(export: Export) -> bytes:
    """The export as a readable PDF: a heading per section, dates in Amsterdam time, in the
    export's language; tagged PDF/UA like every PDF of Kring (signing.pdf)."""
    from kring.signing.pdf import render_html  # WeasyPrint loads slowly: only when needed

    with translation.override(export.language), timezone.override(LOCAL_TIME):
        page = render_to_string(
            "privacy/export_pdf.html",
            {
                "export": export,
                "participant": export.participant,
                "case": export.participant.case,
                "left_out": LEFT_OUT,
                "organisation": settings.KRING_ORGANISATION,
                "made_at": export.made_at.astimezone(LOCAL_TIME),
                "language": export.language,
            },
        )
    return render_html(page)


def filename(participant: Participant, extension: str) -> str:
    """Without a name: the case's reference and the participant's number."""
    return f"gegevens-{participant.case.reference}-{participant.pk}.{extension}"


def own_acts(participant: Participant) -> list[ExportSection]:
    """What the participant did on their personal page (or a parent or guardian did for them),
    as the audit log records it: per kind of act how often, and the last time. Registered from
    privacy/apps.py. Never the rows of other people's acts."""
    rows = (
        AuditEvent.objects.filter(
            Q(actor_participant_id=participant.pk) | Q(for_participant_id=participant.pk)
        )
        .values("action")
        .annotate(times=Count("pk"), last=Max("at"))
        .order_by("action")
    )
    items = []
    for row in rows:
        text = labels.label(row["action"]) or registry.event_label(row["action"])
        if text == row["action"]:
            continue  # a kind without words for people
        items.append(ExportItem("log." + row["action"], text, str(row["times"]), row["last"]))
    if not items:
        return []
    return [ExportSection("log", _("What you did on your personal page"), tuple(items))]
