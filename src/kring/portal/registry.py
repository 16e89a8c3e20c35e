"""Where a later stage plugs into the participant's page (docs/architecture.md "Layers").

`portal` imports no later app. A stage (scheduling, ...) registers a panel for the portal's home
page from its `AppConfig.ready()`:

- `add_home_panel(fn)`: `fn(participant)` returns `(template, context)` for a panel on the
  participant's page, or None when it has nothing to show for this participant.

The registry holds functions only, filled once at start-up; nothing here changes at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from kring.circle.models import Participant

HomePanel: TypeAlias = "Callable[[Participant], tuple[str, dict[str, Any]] | None]"

_home_panels: list[HomePanel] = []


def add_home_panel(fn: HomePanel) -> None:
    # ready() may run more than once in tests; a registration counts once.
    if fn not in _home_panels:
        _home_panels.append(fn)


def home_panels(participant: Participant) -> list[tuple[str, dict[str, Any]]]:
    """The panels of the later stages for this participant's page, in registration order."""
    panels = []
    for fn in _home_panels:
        panel = fn(participant)
        if panel is not None:
            panels.append(panel)
    return panels
