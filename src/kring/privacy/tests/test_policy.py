"""Every policy function of privacy/policy.py has a table (ADR 0005), in the shape of
cases/tests/test_policy.py. Each part of the privacy app keeps its tables in its own test
module, as dicts named `*_TABLES` (the legal hold: test_hold_policy.py); this module gathers
them all, so a `may_*` without a row in any of them fails here."""

import importlib
import pkgutil

from kring.cases.tests.test_policy import Row, assert_tables_are_sound, may_functions
from kring.privacy import policy
from kring.privacy import tests as privacy_tests


def all_tables() -> dict[str, list[Row]]:
    tables: dict[str, list[Row]] = {}
    for module_info in pkgutil.iter_modules(privacy_tests.__path__):
        if not module_info.name.startswith("test_") or module_info.name == "test_policy":
            continue
        module = importlib.import_module(f"kring.privacy.tests.{module_info.name}")
        for name, value in vars(module).items():
            if name.endswith("_TABLES") and isinstance(value, dict):
                tables.update(value)
    return tables


def test_every_may_function_of_privacy_policy_has_a_table():
    missing = may_functions(policy) - set(all_tables())
    assert not missing, f"policy functions without a table: {', '.join(sorted(missing))}"


def test_every_table_says_who_may_and_who_may_not():
    assert_tables_are_sound(all_tables())
