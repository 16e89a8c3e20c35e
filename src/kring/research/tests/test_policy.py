"""Every policy function of research/policy.py has a table (ADR 0005), in the shape of
cases/tests/test_policy.py. Each part of research keeps its tables in its own module,
`test_policy_<part>.py`, as dicts named `*_TABLES`; this module gathers them all, so a `may_*`
without a row in any of them fails here."""

import importlib
import pkgutil

from kring.cases.tests.test_policy import Row, assert_tables_are_sound, may_functions
from kring.research import policy
from kring.research import tests as research_tests


def all_tables() -> dict[str, list[Row]]:
    tables: dict[str, list[Row]] = {}
    for module_info in pkgutil.iter_modules(research_tests.__path__):
        if not module_info.name.startswith("test_policy_"):
            continue
        module = importlib.import_module(f"kring.research.tests.{module_info.name}")
        for name, value in vars(module).items():
            if name.endswith("_TABLES") and isinstance(value, dict):
                tables.update(value)
    return tables


def test_every_may_function_of_research_policy_has_a_table():
    missing = may_functions(policy) - set(all_tables())
    assert not missing, f"policy functions without a table: {', '.join(sorted(missing))}"


def test_every_table_says_who_may_and_who_may_not():
    assert_tables_are_sound(all_tables())
