"""The shape of every policy decision (ADR 0005): "may this actor do this to this object now?"

Each app has a `policy.py` with one function per action, `may_<action>(actor, obj, ...)`, that
returns None when the action is allowed, or a `Refusal`. The action calls it first and raises
(`enforce`); views, templates, the portal and later the API only read it, so that a button shows
only when its action is allowed.

A refusal is one of two kinds:
- access: who the actor is may never do this to this object (a role, a team, another
  coordinator's case). Raised as `NotAllowed`, a `PermissionDenied`: the user gets a 403 (or a
  404 where even existence is hidden), never a form error.
- rule: the actor may, but not now (the case's state, an order of the method such as R4).
  Raised as `Refused`; the page shows the message, and a step that is not possible yet is shown
  as text with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise


@dataclass(frozen=True)
class Refusal:
    """Why an action is refused: a stable `code` (for logs, tests and the API) and the
    `message` for the user, in plain words."""

    code: str
    message: str | Promise
    access: bool = False

    def __str__(self) -> str:
        return str(self.message)


def deny(code: str, message: str | Promise) -> Refusal:
    """An access refusal: this actor may never do this here."""
    return Refusal(code, message, access=True)


def rule(code: str, message: str | Promise) -> Refusal:
    """A rule refusal: not possible now."""
    return Refusal(code, message)


class Refused(Exception):
    """An action the rules do not allow now; `reason` is shown to the user."""

    def __init__(self, refusal: Refusal | str | Promise, code: str = "refused"):
        if not isinstance(refusal, Refusal):
            refusal = Refusal(code, refusal)
        super().__init__(str(refusal.message))
        self.refusal = refusal
        self.code = refusal.code
        self.reason = refusal.message


class NotAllowed(PermissionDenied):
    """The actor may not do this at all: a 403, never a form error."""

    def __init__(self, refusal: Refusal):
        super().__init__(str(refusal.message))
        self.refusal = refusal
        self.code = refusal.code
        self.reason = refusal.message


def enforce(refusal: Refusal | None) -> None:
    """Raise the refusal, if any: access as NotAllowed, a rule as Refused."""
    if refusal is None:
        return
    if refusal.access:
        raise NotAllowed(refusal)
    raise Refused(refusal)


def first(*checks: Callable[[], Refusal | None]) -> Refusal | None:
    """The first refusal among `checks` (callables without arguments), or None. Later checks
    run only when the earlier ones pass, so a rule is never asked of an actor without access."""
    for check in checks:
        refusal = check()
        if refusal is not None:
            return refusal
    return None


@dataclass(frozen=True)
class Option:
    """One action as a page shows it: allowed (a button or link), or not possible now with
    the reason (shown as text), or not for this actor (shown not at all)."""

    refusal: Refusal | None = None

    def __bool__(self) -> bool:
        return self.refusal is None

    @property
    def reason(self) -> str:
        """The reason to show: only for a rule refusal; an access refusal shows nothing."""
        if self.refusal is None or self.refusal.access:
            return ""
        return str(self.refusal.message)


def options(**refusals: Refusal | None) -> dict[str, Option]:
    """`options(invite=may_invite(actor, p), ...)`: what a template reads as `may.invite`."""
    return {name: Option(refusal) for name, refusal in refusals.items()}
