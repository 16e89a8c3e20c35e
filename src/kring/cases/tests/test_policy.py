"""Every policy function of cases/policy.py as a table (issue 6, point 7): who (an actor) does it
to what (a case in a given state) and the answer: allowed, or the refusal's stable code, and
whether it is an access refusal (`denied`: this actor may never, a 403 or 404) or a rule refusal
(`refused`: not possible now, shown with its reason). A new policy function without a table
fails `test_every_may_function_of_cases_policy_has_a_table`.

Each row is one test that builds one case, through the real actions (the fixtures of
kring.testing.fixtures), in the state it names; a state no action reaches yet (scheduled,
conference held) is set directly on the case. A row that describes how the rules want it but not
how the code does it yet is an `xfail(strict=True)`, with the reason: a bug to fix.

The tables of circle/policy.py (circle/tests/test_policy.py) use the helpers here.
"""

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType

import pytest

from kring.accounts.models import Role, User
from kring.cases import actions, policy
from kring.cases.lifecycle import State
from kring.core.policy import Refusal
from kring.testing.factories import UserFactory

# --- the shape of a table -------------------------------------------------------------------------

Outcome = tuple[str, str] | None
ALLOWED: Outcome = None


def denied(code: str) -> Outcome:
    """An access refusal: this actor may never do this to this object."""
    return ("denied", code)


def refused(code: str) -> Outcome:
    """A rule refusal: the actor may, but not now."""
    return ("refused", code)


def outcome(refusal: Refusal | None) -> Outcome:
    if refusal is None:
        return ALLOWED
    return ("denied" if refusal.access else "refused", refusal.code)


@dataclass(frozen=True)
class Row:
    """`actor` does it to `target` in the world `given`; the answer is `expected`. `extra`
    names further keyword arguments of the policy function (name, actor key). `bug`: the row
    says what the rules want and the code does not do yet (an xfail, with this reason)."""

    actor: str
    given: str
    expected: Outcome
    target: str = "case"
    extra: tuple[tuple[str, str], ...] = ()
    bug: str = ""

    @property
    def id(self) -> str:
        parts = [self.actor, self.given]
        if self.target not in ("case", "no_case"):
            parts.append(self.target)
        parts += [f"{name}={key}" for name, key in self.extra]
        answer = "allowed" if self.expected is None else ":".join(self.expected)
        return "-".join(parts) + "->" + answer


def each(actors: Iterable[str], given: str, expected: Outcome, target: str = "case") -> list[Row]:
    """The same answer for several actors."""
    return [Row(actor, given, expected, target) for actor in actors]


def page(actors: Iterable[str], expected: Outcome) -> list[Row]:
    """A page that is about no case (a list): only who is asking."""
    return each(actors, "no_case", expected, target="no_case")


def to(coordinator: str) -> tuple[tuple[str, str], ...]:
    """may_assign's `coordinator`: the one the case is offered to."""
    return (("coordinator", coordinator),)


def params(tables: dict[str, list[Row]]) -> list:
    """One pytest param per row, with a readable id: `may_stop-manager-preparing->allowed`."""
    out = []
    for name, rows in tables.items():
        ids = [f"{name}-{row.id}" for row in rows]
        assert len(ids) == len(set(ids)), f"a row of {name} is in its table twice"
        for row, row_id in zip(rows, ids, strict=True):
            marks = [pytest.mark.xfail(strict=True, reason=row.bug)] if row.bug else []
            out.append(pytest.param(name, row, id=row_id, marks=marks))
    return out


def may_functions(module: ModuleType) -> set[str]:
    """The public `may_*` functions defined in `module` (not those it imports)."""
    return {
        name
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if name.startswith("may_") and function.__module__ == module.__name__
    }


def assert_answer(refusal: Refusal | None, row: Row) -> None:
    assert outcome(refusal) == row.expected
    if refusal is not None:
        assert str(refusal.message).strip(), "a refusal carries a message for the user"


def assert_tables_are_sound(tables: dict[str, list[Row]]) -> None:
    """Each table says at least once who may, and at least once who may not."""
    for name, rows in tables.items():
        assert any(r.expected is ALLOWED and not r.bug for r in rows), f"{name}: no one may"
        assert any(r.expected is not ALLOWED for r in rows), f"{name}: nothing is refused"


class World:
    """The people and the one object a row needs, made on first use (so that a row builds
    only its own case). `people` and `setups` map a row's names to builders."""

    def __init__(self, request, people: dict[str, Callable], setups: dict[str, Callable]):
        self.request = request
        self._people = people
        self._setups = setups
        self._made: dict[str, object] = {}

    def fixture(self, name: str):
        return self.request.getfixturevalue(name)

    def person(self, key: str):
        if key not in self._made:
            self._made[key] = self._people[key](self)
        return self._made[key]

    def setup(self, given: str):
        return self._setups[given](self)


# --- the people -----------------------------------------------------------------------------------


def _named(fixture: str) -> Callable:
    return lambda world: world.fixture(fixture)


def _inactive(fixture: str) -> Callable:
    """The named person, deactivated (after the case was built with them)."""

    def make(world):
        user = world.fixture(fixture)
        User.objects.filter(pk=user.pk).update(is_active=False)
        return User.objects.get(pk=user.pk)

    return make


def _of_another_team(username: str, role: str) -> Callable:
    # noor and vera as in audit/tests/test_refused_access.py; wim is the other team's office.
    return lambda world: UserFactory(
        username=username,
        first_name=username.capitalize(),
        role=role,
        team=world.fixture("other_team"),
    )


STAFF: dict[str, Callable] = {
    "office": _named("bram"),
    "office_other_team": _of_another_team("wim", Role.OFFICE),
    "office_no_team": lambda world: UserFactory(
        username="fenna", first_name="Fenna", role=Role.OFFICE, team=None
    ),
    # Carla: the coordinator the case is offered to, who accepts it (the case's coordinator).
    "coordinator": _named("carla"),
    "other_coordinator": _named("olaf"),  # a coordinator of the same team
    "coordinator_other_team": _of_another_team("noor", Role.COORDINATOR),
    "manager": _named("mira"),
    "manager_other_team": _of_another_team("vera", Role.MANAGER),
    "researcher": _named("ruud"),
    "administrator": _named("admin_user"),
    "inactive_office": _inactive("bram"),
    "inactive_coordinator": _inactive("carla"),
    "inactive_manager": _inactive("mira"),
}

NOT_STAFF_OF_CASES = ("researcher", "administrator")


# --- the cases, one per state ---------------------------------------------------------------------


def _preparing_set_to(state: str) -> Callable:
    """A state no action reaches yet: set on Carla's case in preparation."""

    def build(world):
        case = world.fixture("preparing_case")
        case.state = state
        case.save(update_fields=["state"])
        return case

    return build


def _stopped(world):
    return actions.stop(
        world.fixture("preparing_case"), reason="safety", by=world.person("coordinator")
    )


def _declined(world):
    return actions.decline(
        world.fixture("requested_case"), reason="not_suitable", by=world.person("office")
    )


def _handed_back(world):
    """Carla hands her case back during preparation: it waits for a new coordinator (R2)."""
    return actions.hand_back_case(
        world.fixture("preparing_case"), reason="absence", by=world.person("coordinator")
    )


def _reassigned(world):
    """The manager offers Carla's case in preparation to Olaf, who has not answered yet."""
    case = world.fixture("preparing_case")
    actions.offer_to_coordinator(
        case, coordinator=world.person("other_coordinator"), by=world.person("manager")
    )
    case.refresh_from_db()
    return case


def _offered_then(move: str) -> Callable:
    """Offered to Carla, then stopped (by the manager) or declined (by the office)."""

    def build(world):
        case = world.fixture("offered_case")
        if move == "stopped":
            return actions.stop(case, reason="other", by=world.person("manager"))
        return actions.decline(case, reason="other_help", by=world.person("office"))

    return build


def _routed_to(team_fixture: str) -> Callable:
    """A new request sent to a team's inbox: it came from a place in the team's area
    (accounts.areas; issue 8, point 7). "requested" is one from no known area: the central
    inbox."""
    from kring.testing.factories import ReferralFactory  # noqa: PLC0415

    return lambda world: actions.open_case(ReferralFactory(), team=world.fixture(team_fixture))


CASES: dict[str, Callable] = {
    "no_case": lambda world: None,
    "requested": _named("requested_case"),
    "routed": _routed_to("team"),  # bram's, mira's team
    "routed_other_team": _routed_to("other_team"),  # wim's, vera's team
    "referred": _named("referred_case"),
    "offered": _named("offered_case"),
    "assigned": _named("carlas_case"),
    "preparing": _named("preparing_case"),
    "scheduled": _preparing_set_to(State.SCHEDULED),
    "conference_held": _preparing_set_to(State.CONFERENCE_HELD),
    "stopped": _stopped,
    "declined": _declined,
    "handed_back": _handed_back,
    "reassigned": _reassigned,
    "offered_then_stopped": _offered_then("stopped"),
    "offered_then_declined": _offered_then("declined"),
}


# --- the tables -----------------------------------------------------------------------------------


CASES_TABLES: dict[str, list[Row]] = {
    "may_take_on": [
        Row("office", "requested", ALLOWED),
        Row("office_other_team", "requested", ALLOWED),  # the inbox is every office's
        Row("office_no_team", "requested", refused("no_team")),
        # A request sent to a team: that team's office takes it on, no other office.
        Row("office", "routed", ALLOWED),
        Row("office_other_team", "routed", denied("team")),
        Row("office_no_team", "routed", denied("team")),
        Row("manager", "routed", denied("role")),  # triage is the office's
        *each(("other_coordinator", "manager", *NOT_STAFF_OF_CASES), "requested", denied("role")),
        Row("inactive_office", "requested", denied("role")),
        *(
            Row("office", state, refused("state"))
            for state in ("referred", "assigned", "preparing", "scheduled", "stopped", "declined")
        ),
    ],
    "may_decline": [
        Row("office", "requested", ALLOWED),
        Row("office_other_team", "requested", ALLOWED),  # the inbox is every office's
        Row("manager", "requested", denied("role")),  # the central inbox is the office's
        Row("other_coordinator", "requested", denied("role")),
        Row("office", "routed", ALLOWED),
        Row("manager", "routed", ALLOWED),  # the team's manager sees the team's inbox
        Row("office_other_team", "routed", denied("team")),
        Row("manager_other_team", "routed", denied("team")),
        Row("office", "referred", ALLOWED),
        Row("manager", "referred", ALLOWED),
        Row("office", "offered", ALLOWED),
        Row("office_other_team", "referred", denied("team")),
        Row("manager_other_team", "referred", denied("team")),
        *each(
            ("other_coordinator", *NOT_STAFF_OF_CASES, "inactive_office", "inactive_manager"),
            "referred",
            denied("role"),
        ),
        Row("coordinator", "assigned", denied("role")),
        *(
            Row(actor, state, refused("state"))
            for actor, state in (
                ("office", "assigned"),
                ("manager", "preparing"),
                ("office", "scheduled"),
                ("manager", "conference_held"),
                ("office", "stopped"),
                ("office", "declined"),
            )
        ),
    ],
    "may_assign": [
        Row("office", "referred", ALLOWED),
        Row("manager", "referred", ALLOWED),
        Row("office", "offered", ALLOWED),  # the open offer is withdrawn
        Row("manager", "assigned", ALLOWED),  # R2: reassignment
        # Taking the case from the coordinator who has it is the manager's (rules.md "Roles").
        Row("office", "preparing", denied("role")),
        Row("office", "assigned", denied("role")),
        Row("manager", "preparing", ALLOWED),
        Row("manager", "scheduled", ALLOWED),
        Row("office", "handed_back", ALLOWED),  # no coordinator now: the office offers it
        Row("manager", "handed_back", ALLOWED),
        Row("office_other_team", "referred", denied("team")),
        Row("manager_other_team", "preparing", denied("team")),
        *each(
            ("coordinator", "other_coordinator", *NOT_STAFF_OF_CASES),
            "assigned",
            denied("role"),
        ),
        *each(("inactive_office", "inactive_manager"), "referred", denied("role")),
        Row("office", "requested", refused("state")),
        Row("manager", "conference_held", refused("state")),
        Row("manager", "stopped", refused("state")),
        Row("office", "declined", refused("state")),
        # With the coordinator it is offered to.
        Row("office", "referred", ALLOWED, extra=to("coordinator")),
        Row("manager", "assigned", ALLOWED, extra=to("other_coordinator")),
        Row("office", "offered", refused("same_coordinator"), extra=to("coordinator")),
        Row("manager", "assigned", refused("same_coordinator"), extra=to("coordinator")),
        Row("office", "referred", refused("other_team"), extra=to("coordinator_other_team")),
        Row("office", "referred", refused("not_a_coordinator"), extra=to("manager")),
        Row("office", "referred", refused("not_a_coordinator"), extra=to("inactive_coordinator")),
        Row("office_other_team", "referred", denied("team"), extra=to("coordinator_other_team")),
        Row("manager", "conference_held", refused("state"), extra=to("other_coordinator")),
    ],
    "may_answer_offer": [
        Row("coordinator", "offered", ALLOWED, target="offer"),
        Row("other_coordinator", "reassigned", ALLOWED, target="offer"),  # keeps preparing
        *each(
            (
                "other_coordinator",
                "coordinator_other_team",
                "office",
                "manager",
                *NOT_STAFF_OF_CASES,
            ),
            "offered",
            denied("not_offered"),
            target="offer",
        ),
        Row("coordinator", "reassigned", denied("not_offered"), target="offer"),
        Row(
            "inactive_coordinator",
            "offered",
            denied("not_offered"),
            target="offer",
        ),
        Row("coordinator", "assigned", refused("offer_closed"), target="offer"),  # accepted
        Row("coordinator", "offered_then_stopped", refused("offer_closed"), target="offer"),
        # Declining the case withdraws the offer with it.
        Row("coordinator", "offered_then_declined", refused("offer_closed"), target="offer"),
    ],
    "may_hand_back": [
        Row("coordinator", "assigned", ALLOWED),
        Row("coordinator", "preparing", ALLOWED),  # R2: also during the preparation
        Row("coordinator", "scheduled", ALLOWED),
        *each(
            (
                "other_coordinator",
                "office",
                "manager",
                *NOT_STAFF_OF_CASES,
                "inactive_coordinator",
            ),
            "preparing",
            denied("not_coordinator"),
        ),
        Row("coordinator", "requested", denied("not_coordinator")),
        Row("coordinator", "referred", denied("not_coordinator")),  # not accepted yet
        Row("coordinator", "offered", denied("not_coordinator")),
        Row("coordinator", "handed_back", denied("not_coordinator")),
        Row("coordinator", "reassigned", denied("not_coordinator")),  # lost access at once
        Row("other_coordinator", "reassigned", denied("not_coordinator")),  # not accepted yet
        Row("coordinator", "conference_held", refused("state")),
        Row("coordinator", "stopped", refused("state")),
    ],
    "may_stop": [
        Row("coordinator", "assigned", ALLOWED),
        Row("coordinator", "preparing", ALLOWED),
        Row("coordinator", "scheduled", ALLOWED),
        Row("manager", "referred", ALLOWED),
        Row("manager", "preparing", ALLOWED),
        Row("manager", "handed_back", ALLOWED),
        Row("manager_other_team", "preparing", denied("team")),
        Row("manager", "requested", denied("team")),  # a request belongs to no team yet
        *each(
            (
                "other_coordinator",
                "coordinator_other_team",
                "office",
                *NOT_STAFF_OF_CASES,
                "inactive_coordinator",
            ),
            "preparing",
            denied("not_coordinator"),
        ),
        Row("coordinator", "handed_back", denied("not_coordinator")),
        Row("coordinator", "requested", denied("not_coordinator")),
        Row("inactive_manager", "preparing", denied("team")),
        Row("coordinator", "conference_held", refused("state")),
        Row("manager", "conference_held", refused("state")),
        Row("coordinator", "stopped", refused("state")),
        Row("manager", "declined", refused("state")),
    ],
    "may_read_account": [
        Row("coordinator", "assigned", ALLOWED),
        Row("coordinator", "preparing", ALLOWED),
        Row("manager", "preparing", ALLOWED),
        Row("office", "referred", ALLOWED),
        Row("office", "preparing", denied("after_triage")),
        Row("other_coordinator", "preparing", denied("role")),
        Row("coordinator", "handed_back", denied("role")),  # no longer hers
        *each(NOT_STAFF_OF_CASES, "preparing", denied("role")),
    ],
    "may_read_request": [
        Row("office", "requested", ALLOWED),
        Row("office_other_team", "requested", ALLOWED),  # the inbox is every office's
        Row("office", "referred", ALLOWED),
        Row("manager", "referred", ALLOWED),
        Row("manager", "preparing", ALLOWED),
        Row("office", "declined", ALLOWED),
        Row("manager", "requested", denied("role")),  # the central inbox is the office's
        Row("office", "routed", ALLOWED),
        Row("manager", "routed", ALLOWED),
        Row("office_other_team", "routed", denied("team")),
        Row("manager_other_team", "routed", denied("team")),
        Row("office_other_team", "referred", denied("team")),
        Row("manager_other_team", "referred", denied("team")),
        *each(
            ("coordinator", *NOT_STAFF_OF_CASES, "inactive_office", "inactive_manager"),
            "assigned",
            denied("role"),
        ),
        Row("office", "assigned", denied("after_triage")),
        Row("office", "preparing", denied("after_triage")),
    ],
    # The pages of lists: no case, only who is asking.
    "may_open_inbox": [
        *page(("office", "office_other_team", "office_no_team", "manager"), ALLOWED),
        *page(
            ("coordinator", *NOT_STAFF_OF_CASES, "inactive_office", "inactive_manager"),
            denied("role"),
        ),
    ],
    "may_list_team_cases": [
        *page(("office", "manager", "manager_other_team"), ALLOWED),
        *page(
            ("coordinator", *NOT_STAFF_OF_CASES, "inactive_office", "inactive_manager"),
            denied("role"),
        ),
    ],
    "may_list_my_cases": [
        *page(("coordinator", "other_coordinator"), ALLOWED),
        *page(("office", "manager", *NOT_STAFF_OF_CASES, "inactive_coordinator"), denied("role")),
    ],
    # Which cases each may read is cases.access; this is whether the role reads case pages.
    "may_read_case": [
        *each(("office", "manager", "coordinator"), "preparing", ALLOWED),
        Row("coordinator", "stopped", ALLOWED),
        Row("office", "requested", ALLOWED),
        *each(
            (*NOT_STAFF_OF_CASES, "inactive_office", "inactive_coordinator", "inactive_manager"),
            "preparing",
            denied("role"),
        ),
    ],
}


TARGETS: dict[str, Callable] = {
    "no_case": lambda case: (),
    "case": lambda case: (case,),
    "offer": lambda case: (case.assignments.latest("pk"),),
}


@pytest.fixture
def world(request, db):
    return World(request, STAFF, CASES)


@pytest.mark.parametrize(("name", "row"), params(CASES_TABLES))
def test_each_actor_in_each_state_gets_the_answer_in_the_table(world, name, row):
    case = world.setup(row.given)
    args = TARGETS[row.target](case)
    actor = world.person(row.actor)
    kwargs = {arg: world.person(key) for arg, key in row.extra}
    assert_answer(getattr(policy, name)(actor, *args, **kwargs), row)


def test_every_may_function_of_cases_policy_has_a_table():
    assert may_functions(policy) == set(CASES_TABLES)


def test_every_table_says_who_may_and_who_may_not():
    assert_tables_are_sound(CASES_TABLES)
