"""Who may do what in signing, now (ADR 0005): one function per action, None when allowed or a
Refusal (kring.core.policy). The actions (signing.actions, signing.codes, signing.deliveries)
enforce these; views, templates and the portal read them through `options(...)`.

To be filled in by the core of issue 11 (see each function's docstring for its contract)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kring.core.policy import Refusal

if TYPE_CHECKING:
    from kring.audit.actors import By
    from kring.cases.models import Case
    from kring.conference.models import PlanVersion
    from kring.signing.models import SignedDocument
    from kring.signing.queries import Slot


def may_read_signing(actor: By, case: Case) -> Refusal | None:
    """The signing overview of a case (who signed, who declined and why, who has not yet, the
    copies): the case's coordinator; the team's manager reads it too. Never the office (as for
    the plan, conference.policy.may_read_plan), never a researcher."""
    raise NotImplementedError


def may_host_signing(actor: By, case: Case) -> Refusal | None:
    """Hosting signing in person on the tablet: the case's coordinator only, while the case is
    "conference_held" or "following_up" and there is a version to sign
    (queries.version_to_sign)."""
    raise NotImplementedError


def may_sign(actor: By, slot: Slot, version: PlanVersion) -> Refusal | None:
    """`actor` (a participant: Actor.in_person or Actor.in_portal) signs `slot` of `version`:
    they are the slot's signer; `version` is the version to sign now (not an older one, the plan
    not being changed); the slot is not signed yet; the case is "conference_held" or
    "following_up". A staff user never signs."""
    raise NotImplementedError


def may_decline(actor: By, slot: Slot, version: PlanVersion) -> Refusal | None:
    """As may_sign, and the slot is not declined already (a declination may be followed by a
    signature, not by a second declination)."""
    raise NotImplementedError


def may_send_signing_code(actor: By, participant) -> Refusal | None:
    """A participant in the portal asks for a one-time code to sign remotely: they have an
    e-mail address, and something to sign (a slot of the version to sign that is theirs and
    not signed)."""
    raise NotImplementedError


def may_download_document(actor: By, document: SignedDocument) -> Refusal | None:
    """The sealed PDF: the case's coordinator and the team's manager; a participant who signed
    the document's version (their own slot, or as guardian); only once it is made."""
    raise NotImplementedError


def may_record_printed_copy(actor: By, document: SignedDocument, participant) -> Refusal | None:
    """The coordinator records that a signer's copy was printed (with its cover letter) and
    given or posted: the case's coordinator; the participant signed the document's version."""
    raise NotImplementedError


def may_resend_copy(actor: By, document: SignedDocument, participant) -> Refusal | None:
    """The coordinator sends a signer's copy by e-mail again (the first failed, or it was
    lost): the case's coordinator; the document is made; the participant has an e-mail
    address and signed its version."""
    raise NotImplementedError
