"""Each person's next steps on the coordinator's circle page, as a task list (issue 8, point 11).

`STEPS` is the one ordered list of what the coordinator can do with a person: the name of the
action in the person's options (`p.may`, filled from circle.policy in circle/views.py), the URL
of its page and its label. A new action is one line here. `steps_of(case, p)` reads the options
only: a step the policy allows now gets its URL; a step a rule refuses for now is shown as text
with the reason ("first ..."), never as a dead link; a step this person will not need (an access
refusal, a step already done, a step only for another side) is left out.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Rule refusals that do not mean "not yet" but "not for this person" or "done": the step is
# left out rather than shown greyed. Any other rule refusal is shown with its reason.
NOT_A_NEXT_STEP = frozenset(
    {
        "not_responsible",  # only a person responsible acknowledges (R3)
        "accepted",  # accepted the invitation already
        "withdrawn",  # withdrew already
        "takes_part",  # a return, for someone who takes part
        "decided",
        "not_preparing",  # the whole case is past preparing: nothing per person to wait for
        "state",
    }
)


@dataclass(frozen=True)
class Step:
    """One action on a person: `action` is its key in the person's options (p.may)."""

    action: str
    url_name: str
    label: str | Promise
    # The label once the step was done before (invite -> invite again), chosen by `again`.
    label_again: str | Promise = ""
    again: Callable[[Any], bool] | None = None
    # Shown at all for this person (besides the policy): consent once consent is given.
    needed: Callable[[Any], bool] | None = None
    # Secondary steps (take out, record that someone stops) come after the others.
    secondary: bool = False


STEPS: tuple[Step, ...] = (
    Step("conversation", "circle:conversation", _("Record a conversation")),
    Step("acknowledgment", "circle:acknowledgment", _("Record acknowledgment")),
    Step(
        "invite",
        "circle:invite",
        _("Invite"),
        label_again=_("Invite again"),
        again=lambda p: getattr(p, "last_invitation", None) is not None,
    ),
    Step("record_return", "circle:record_return", _("Record a return")),
    Step("respond", "circle:respond", _("Record answer by phone")),
    Step(
        "consent",
        "circle:consent",
        _("Record consent"),
        needed=lambda p: not getattr(p, "consented", False),
    ),
    Step("nominate", "circle:nominate", _("Record a nomination")),
    Step("reissue", "circle:reissue", _("New personal link")),
    Step("edit", "circle:edit", _("Change details")),
    Step("withdraw", "circle:withdraw", _("Record withdrawal"), secondary=True),
    Step("remove", "circle:remove", _("Take out of the circle (added by mistake)"), secondary=True),
)


@dataclass
class NextStep:
    """A step as the page shows it: a link (`url`, only when `may` allows it) or a reason."""

    action: str
    label: str | Promise
    may: Any  # core.policy.Option
    url: str = ""
    secondary: bool = False

    @property
    def reason(self) -> str:
        return self.may.reason


@dataclass
class Steps:
    now: list[NextStep] = field(default_factory=list)
    later: list[NextStep] = field(default_factory=list)
    secondary: list[NextStep] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.now or self.later or self.secondary)

    @property
    def waiting(self) -> list[tuple[str, list[NextStep]]]:
        """The steps not possible yet, grouped by their reason (one line per reason)."""
        groups: dict[str, list[NextStep]] = {}
        for step in self.later:
            groups.setdefault(step.reason, []).append(step)
        return list(groups.items())


# A participant pk put in a step's URL once, to be replaced by each person's own.
_MARK = "2147483647"


class StepUrls:
    """The steps' URLs for the people of one case: each step's URL reversed once and the
    person's pk put in, instead of once per person and step (issue 15: the circle page reversed
    seventy URLs). A step whose page is not (yet) there gets an empty URL: no link."""

    def __init__(self, case):
        self.case = case
        self._parts: dict[str, tuple[str, str] | None] = {}

    def url(self, step: Step, participant) -> str:
        if step.url_name not in self._parts:
            try:
                marked = reverse(step.url_name, args=[self.case.pk, int(_MARK)])
            except NoReverseMatch:  # an action whose page is not (yet) there: no link
                marked = ""
            before, found, after = marked.rpartition(_MARK)
            self._parts[step.url_name] = (before, after) if found else None
        parts = self._parts[step.url_name]
        return f"{parts[0]}{participant.pk}{parts[1]}" if parts is not None else ""


def steps_of(case, participant, urls: StepUrls | None = None) -> Steps:
    """The steps for `participant` from their options (`participant.may`); `urls`: the
    page's StepUrls of `case`, shared by everyone on it."""
    urls = urls or StepUrls(case)
    may = getattr(participant, "may", None) or {}
    found = Steps()
    for step in STEPS:
        option = may.get(step.action)
        if option is None or (step.needed is not None and not step.needed(participant)):
            continue
        label = step.label_again if step.again is not None and step.again(participant) else None
        shown = NextStep(step.action, label or step.label, option, secondary=step.secondary)
        if option:
            shown.url = urls.url(step, participant)
            if shown.url:
                (found.secondary if step.secondary else found.now).append(shown)
        elif option.reason and option.refusal.code not in NOT_A_NEXT_STEP and not step.secondary:
            found.later.append(shown)
    return found
