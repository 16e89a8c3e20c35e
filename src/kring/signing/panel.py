"""Signing on the case page (issue 11, points 1 and 4): while the case is "conference_held" or
"following_up" and a version of the plan is to be signed, how many signed ("3 of 5 signed",
"1 does not want to sign"), and once the signed plan exists how many have their copy. The
case's coordinator and the team's manager get the links to the signing overview and the
copies; everyone else who may see the case (the office) reads the counts only: never a reason,
a name or anything of the plan. Registered with kring.cases.registry in signing.registration."""

from __future__ import annotations

from typing import Any

from kring.accounts.models import User
from kring.cases.models import Case
from kring.core.policy import options
from kring.signing import deliveries, policy, queries
from kring.signing.models import SignedDocument


def case_panel(case: Case, user: User) -> tuple[str, dict[str, Any]] | None:
    if case.state not in policy.SIGNING_STATES:
        return None
    version = queries.version_to_sign(case)
    if version is None:
        return None
    found = queries.slots(version)
    context: dict[str, Any] = {
        "case": case,
        "signed": sum(1 for slot in found if slot.is_signed),
        "declined": sum(1 for slot in found if slot.is_declined),
        "total": len(found),
        "all_signed": queries.all_signed(found),
        "may": options(read=policy.may_read_signing(user, case)),
    }
    document = queries.document_of(case)
    if document is not None and document.version_id == version.pk:
        context["document"] = document
        if document.status == SignedDocument.Status.MADE:
            copies = deliveries.status(document)
            context["with_copy"] = sum(1 for entry in copies if entry.has_copy)
            context["copies_total"] = len(copies)
    return "signing/_case_panel.html", context
