"""How the access log names what happened: one label per kind of audit row ("case.viewed" reads
"Read the case page"), in the reader's language.

Each app registers the kinds it records from its `AppConfig.ready()` with `add_labels`, as the
stages register their timeline labels with `kring.cases.registry`. A kind that is also a
timeline event (every `cases.actions.log_event` writes both) needs no second label: the access
log reads the timeline's. This module sits in the lowest layer with the log itself
(.importlinter), so that every app may register; it holds labels only, filled once at start-up.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TypeAlias

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Text: TypeAlias = "str | Promise"

_labels: dict[str, Text] = {}
_refused: set[str] = set()


def add_labels(labels: Mapping[str, Text], *, refused: Collection[str] = ()) -> None:
    """`labels`: how each kind reads. `refused`: the kinds that record an attempt Kring refused
    (the log marks them "Refused", and a filter shows them together)."""
    _labels.update(labels)
    _refused.update(refused)


def label(kind: str) -> Text | None:
    """The registered label of `kind`, or None."""
    return _labels.get(kind)


def registered() -> dict[str, Text]:
    return dict(_labels)


def refused_kinds() -> frozenset[str]:
    return frozenset(_refused)


def readable(kind: str) -> str:
    """The last resort for a kind nobody labelled: "case.offer_viewed" → "Case: offer viewed".
    A test fails for every kind in the code that would need it."""
    head, _dot, tail = kind.partition(".")
    words = tail.replace("_", " ").strip()
    return f"{head.capitalize()}: {words}" if words else head.capitalize()


# The audit app's own rows (kring.audit.views, kring.audit.refusals).
ACCESS_REFUSED = "case.access_refused"
REFUSED = {ACCESS_REFUSED}
LABELS = {
    "audit.viewed": _("Read the access log"),
    ACCESS_REFUSED: _("Tried to open a case without access"),
}
