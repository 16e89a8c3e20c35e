"""The coordinator's grid of the date poll (stub; filled in by helper P2)."""

from __future__ import annotations


def ranked(meeting) -> list:
    return []
