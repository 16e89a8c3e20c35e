"""The privacy statement's version and the periods it promises (shown on the privacy page).

Change PRIVACY_VERSION whenever the statement's words change: every request records the
version its sender agreed to. The periods come from the settings (KRING_RETENTION_*, which the
retention job, kring.privacy.retention, keeps to: docs/data-retention.md). An operator who
changes a period changes what the statement promises, so `version()` then adds the periods to
the version: a request sent after the change records the statement it really agreed to.
"""

import datetime

from django.conf import settings

PRIVACY_VERSION = "2026-1"
PRIVACY_DATE = datetime.date(2026, 1, 1)

# The periods the statement of PRIVACY_VERSION was written with (the settings' defaults).
_WRITTEN_WITH = (6, 2, 2)


def declined_months() -> int:
    """A request that is declined (not taken on) is erased this many months after the decision."""
    return int(settings.KRING_RETENTION_DECLINED_MONTHS)


def stopped_years() -> int:
    """A case that is stopped is erased this many years after it was stopped."""
    return int(settings.KRING_RETENTION_STOPPED_YEARS)


def closed_years() -> int:
    """A closed case is erased at the latest this many years after it was closed (the longest
    period of the outcomes, settings.KRING_RETENTION_YEARS)."""
    return max(settings.KRING_RETENTION_YEARS.values())


def closed_years_vary() -> bool:
    """The outcomes are kept for different periods: the statement says "at the latest"."""
    return len(set(settings.KRING_RETENTION_YEARS.values())) > 1


def version() -> str:
    """The version of the statement as shown now: PRIVACY_VERSION, plus the periods when the
    operator changed them (at most 20 characters, as Referral.privacy_version)."""
    periods = (declined_months(), stopped_years(), closed_years())
    if periods == _WRITTEN_WITH and not closed_years_vary():
        return PRIVACY_VERSION
    vary = "+" if closed_years_vary() else ""
    return f"{PRIVACY_VERSION}-{periods[0]}m{periods[1]}y{periods[2]}y{vary}"[:20]
