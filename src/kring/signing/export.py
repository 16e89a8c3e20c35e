"""What signing holds about one participant, for their export (GDPR article 15; issue 14, point
8): their signatures (or a parent's or guardian's for them) and declinations, with the reason
they gave, and the copies of the signed plan given to them. Never a signing code (only its hash
is stored, and it is a secret), the drawing of a signature, or the browser's details."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kring.cases.registry import ExportItem, ExportSection
from kring.signing.models import Declination, Delivery, Signature


def participant_export(participant) -> list[ExportSection]:
    items: list[ExportItem] = []
    signatures = Signature.objects.filter(
        Q(participant=participant) | Q(signed_by=participant)
    ).select_related("version", "participant", "signed_by")
    for s in signatures.order_by("signed_at", "pk"):
        value = str(_("version %(number)s, as %(name)s, %(how)s")) % {
            "number": s.version.number,
            "name": s.typed_name,
            "how": s.get_method_display(),
        }
        if s.participant_id != participant.pk:
            value += " · " + str(_("for %(name)s")) % {"name": s.participant.name}
        items.append(ExportItem("signing.signature", _("signed the plan"), value, s.signed_at))
    declinations = Declination.objects.filter(
        Q(participant=participant) | Q(declined_by=participant)
    ).select_related("version")
    for d in declinations.order_by("declined_at", "pk"):
        # The reason is the words of whoever declined: a parent's or guardian's for a minor are
        # theirs, not the minor's (R18).
        reason = d.reason if d.declined_by_id == participant.pk else ""
        label = _("did not sign version %(number)s") % {"number": d.version.number}
        items.append(ExportItem("signing.declination", label, reason, d.declined_at))
    for copy in Delivery.objects.filter(participant=participant):
        items.append(
            ExportItem(
                "signing.copy",
                _("copy of the signed plan"),
                str(copy.get_channel_display()),
                copy.at,
            )
        )
    return [ExportSection("signing", _("Signing the plan"), tuple(items))] if items else []
