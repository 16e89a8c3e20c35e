"""Small helpers for the apps' erasers (issue 14, points 7 and 8; docs/data-retention.md, "What
erasure removes"): bulk updates that empty text columns, and count only the rows they changed,
so that an eraser called twice changes nothing the second time and returns 0."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet


def blank(rows: QuerySet[Any], *fields: str, **also: Any) -> int:
    """Empty the text `fields` of `rows` (one UPDATE), and set `also` with them, on the rows
    where at least one of the fields is not empty yet. Returns how many rows changed."""
    not_empty = Q()
    for name in fields:
        not_empty |= ~Q(**{name: ""})
    return rows.filter(not_empty).update(**dict.fromkeys(fields, ""), **also)


def scrub(value: Any, names: set[str]) -> Any:
    """`value` (JSON: dicts, lists, strings, numbers) with every string equal to one of `names`
    replaced by an empty string."""
    if isinstance(value, str):
        return "" if value in names else value
    if isinstance(value, list):
        return [scrub(item, names) for item in value]
    if isinstance(value, dict):
        return {key: scrub(item, names) for key, item in value.items()}
    return value
