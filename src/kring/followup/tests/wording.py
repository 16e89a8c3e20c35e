"""The words follow-up never says (issue 12 review, findings 11 and 12), in one list for the
tracker's tests, the actions' tests and the browser journey:

- `NOT_NEUTRAL`: words that mark a person as having failed (R15: states describe agreements,
  never people), in Dutch and English, matched as the start of a word ("overtreding",
  "schuldig", "failed"). "Fout:" (and "Error:") is the label before a form's error message,
  which is about the form, not a person: it is not counted.
- the glossary's words never used in what people read (docs/rules.md, "Words", the column
  "not"), read from the glossary itself by tests/test_words.forbidden_words, and matched as
  that test matches them (whole words, the end of a compound such as "deelnemersportaal", the
  start of a longer form such as "slachtoffers").

`not_said(text)` returns every such word found in `text`."""

import importlib.util
import re
from functools import cache
from pathlib import Path

import kring

REPO = Path(kring.__file__).parents[2]

NOT_NEUTRAL = (
    "fout",
    "schuld",
    "overtred",
    "in gebreke",
    "nagekomen door",
    "gefaald",
    "faalt",
    "nalatig",
    "dader",
    "slachtoffer",
    "benadeelde",
    "fault",
    "fail",
    "guilt",
    "blame",
    "violat",
    "breach",
    "offender",
    "victim",
)


@cache
def glossary_words() -> tuple[str, ...]:
    """The "not" column of docs/rules.md's glossary (tests/test_words.py reads it)."""
    spec = importlib.util.spec_from_file_location("_test_words", REPO / "tests" / "test_words.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tuple(module.forbidden_words((REPO / "docs" / "rules.md").read_text(encoding="utf-8")))


@cache
def _pattern() -> re.Pattern[str]:
    glossary = "|".join(re.escape(word) for word in glossary_words())
    neutral = "|".join(re.escape(word) for word in NOT_NEUTRAL)
    return re.compile(rf"(?<![a-zà-ÿ-])(?:\w*?(?:{glossary})\w*|(?:{neutral})\w*)", re.IGNORECASE)


LABELS = re.compile(r"\b(?:Fout|Error):", re.IGNORECASE)


def not_said(text: str) -> list[str]:
    """The words of either list in `text` (the error label "Fout:" aside)."""
    return _pattern().findall(LABELS.sub(" ", text))
