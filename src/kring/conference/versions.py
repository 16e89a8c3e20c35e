"""Versions of the plan (issue 10, point 5; R11, R14) and the informal part after it (R13).

Finalising freezes the plan as it stands: `content.canonical(plan)`, the SHA-256 of its
canonical bytes (`content.content_hash`) and the plan's `edit_count` at that moment. The plan is
final while no edit came after the latest version (`plan.edit_count == latest.edit_count`); any
later change (conference.editing raises `edit_count`) makes it a draft of the next version, and
finalising again makes that version. A signature (the signing stage) is of one version, so a
change asks everyone to sign again (R14).

`changes(older, newer)` says what changed between two versions in words a coordinator reads."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kring.accounts.models import User
from kring.cases import actions as case_actions
from kring.conference import actions, content, policy
from kring.conference.models import Conference, Plan, PlanVersion
from kring.core.policy import enforce

HASH_SHOWN = 12  # the characters of the hash a page shows; the full hash is in its title

# --- what the plan still needs (R11) ------------------------------------------------------------

GOOD_OUTCOME = gettext_lazy("the answer to “what would be a good outcome?”")
AN_AGREEMENT = gettext_lazy("at least one agreement")
PREVENTS_REPEAT = gettext_lazy("an agreement that prevents a repeat")
EVALUATION_DATE = gettext_lazy("an evaluation date")
IF_NOT_KEPT = gettext_lazy("what happens when an agreement is not kept")


def missing(plan: Plan) -> list[str | Promise]:
    """What the plan still needs before it can be final, each rule once (R11): the harmed
    person's good outcome, an agreement, one that prevents a repeat, an evaluation date, and
    what happens when an agreement is not kept. Empty when it is complete."""
    agreements = plan.agreements.exclude(what="")
    found: list[str | Promise] = []
    if not plan.good_outcome.strip():
        found.append(GOOD_OUTCOME)
    if not agreements.exists():
        found.append(AN_AGREEMENT)
    if not agreements.filter(prevents_repeat=True).exists():
        found.append(PREVENTS_REPEAT)
    if plan.evaluation_date is None:
        found.append(EVALUATION_DATE)
    if not plan.if_not_kept.strip():
        found.append(IF_NOT_KEPT)
    return found


def missing_message(items: list[str | Promise]) -> Promise:
    """The refusal's words: "The plan cannot be final yet. It still needs: …"."""
    listed = format_lazy("; ".join(["{}"] * len(items)), *items)
    return format_lazy(
        gettext_lazy("The plan cannot be final yet. It still needs: {items}."), items=listed
    )


# --- the versions -------------------------------------------------------------------------------


def latest_version(plan: Plan) -> PlanVersion | None:
    return plan.versions.order_by("-number").first()


def is_final(plan: Plan, latest: PlanVersion | None = None) -> bool:
    """True while no edit came after the latest version."""
    latest = latest if latest is not None else latest_version(plan)
    return latest is not None and latest.edit_count == plan.edit_count


def short_hash(version: PlanVersion) -> str:
    return version.content_hash[:HASH_SHOWN]


def finalise(plan: Plan, *, by: User) -> PlanVersion:
    """The coordinator makes the plan as it stands a final version: number n + 1, its canonical
    content, that content's hash and the plan's edit count. The timeline says which version and
    the start of its hash, never the plan's words."""
    with transaction.atomic():
        case = case_actions.lock_case(plan.case)
        plan = Plan.objects.select_related("conference", "good_outcome_by").get(pk=plan.pk)
        plan.case = case
        plan.conference.case = case
        enforce(policy.may_finalise(by, plan))
        latest = latest_version(plan)
        frozen = content.canonical(plan)
        version = PlanVersion.objects.create(
            plan=plan,
            number=(latest.number if latest else 0) + 1,
            content=frozen,
            content_hash=content.content_hash(frozen),
            edit_count=plan.edit_count,
            finalised_at=timezone.now(),
            finalised_by=by,
        )
        case_actions.log_event(
            case,
            "conference.plan_finalised",
            by=by,
            version=version.number,
            hash=short_hash(version),
        )
    return version


def mark_informal(conference: Conference, *, by: User) -> Conference:
    """R13: the plan is made; the informal part begins, where people talk in their own way."""
    return actions.mark(
        conference,
        "informal_at",
        policy.may_mark_informal,
        "conference.informal_part",
        by=by,
        conference=conference.pk,
    )


# --- what changed between two versions ----------------------------------------------------------


def _field_names() -> dict[str, str]:
    return {
        "what": _("what"),
        "who": _("who does it"),
        "for_whom": _("for whom"),
        "by_when": _("ready by"),
        "how_checked": _("how we check it"),
        "prevents_repeat": _("whether it prevents a repeat"),
    }


def _day(value: str) -> str:
    return date_format(date.fromisoformat(value), "j F Y") if value else _("none")


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return {k: v for k, v in a.items() if k != "number"} == {
        k: v for k, v in b.items() if k != "number"
    }


def _pair_agreements(
    older: list[dict[str, Any]], newer: list[dict[str, Any]]
) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """Match the agreements of two versions: the same in every field first, then the same
    "what", then the same number. What is left was removed (older) or added (newer)."""
    left_old, left_new = list(older), list(newer)
    pairs: list[tuple[dict, dict]] = []
    for match in (
        _same,
        lambda a, b: a["what"] == b["what"],
        lambda a, b: a["number"] == b["number"],
    ):
        for old in list(left_old):
            new = next((n for n in left_new if match(old, n)), None)
            if new is not None:
                pairs.append((old, new))
                left_old.remove(old)
                left_new.remove(new)
    return pairs, left_old, left_new


def changes(older: dict[str, Any], newer: dict[str, Any]) -> list[str]:
    """What changed from the older version's content to the newer one's, in the coordinator's
    words: agreements added, removed and changed (which parts), ideas added and removed, and the
    good outcome, the evaluation date and what happens when an agreement is not kept."""
    said: list[str] = []
    if older.get("good_outcome") != newer.get("good_outcome"):
        said.append(_("The answer to “what would be a good outcome?” changed."))
    pairs, removed, added = _pair_agreements(older["agreements"], newer["agreements"])
    names = _field_names()
    for old, new in sorted(pairs, key=lambda pair: pair[1]["number"]):
        parts = [names[f] for f in names if old.get(f) != new.get(f)]
        if parts:
            said.append(
                _("Agreement %(number)s changed: %(parts)s.")
                % {"number": new["number"], "parts": ", ".join(parts)}
            )
    for new in added:
        said.append(
            _("Agreement %(number)s added: %(what)s")
            % {"number": new["number"], "what": new["what"]}
        )
    for old in removed:
        said.append(
            _("Agreement removed (it was number %(number)s): %(what)s")
            % {"number": old["number"], "what": old["what"]}
        )
    old_ideas = [i["text"] for i in older.get("ideas", [])]
    new_ideas = [i["text"] for i in newer.get("ideas", [])]
    for text in new_ideas:
        if text not in old_ideas:
            said.append(_("Idea added: %(text)s") % {"text": text})
    for text in old_ideas:
        if text not in new_ideas:
            said.append(_("Idea removed: %(text)s") % {"text": text})
    if older.get("evaluation_date") != newer.get("evaluation_date"):
        said.append(
            _("The evaluation date changed from %(old)s to %(new)s.")
            % {"old": _day(older["evaluation_date"]), "new": _day(newer["evaluation_date"])}
        )
    if older.get("if_not_kept") != newer.get("if_not_kept"):
        said.append(_("What happens when an agreement is not kept changed."))
    if not older.get("on_paper") and newer.get("on_paper"):
        said.append(_("Marked as held on paper and typed in afterwards."))
    return said


def with_changes(versions: list[PlanVersion]) -> list[tuple[PlanVersion, list[str] | None]]:
    """Each version with what changed since the one before it (None for the first)."""
    out: list[tuple[PlanVersion, list[str] | None]] = []
    before: PlanVersion | None = None
    for version in versions:
        out.append((version, changes(before.content, version.content) if before else None))
        before = version
    return out
