"""The privacy statement's version and the periods it promises (shown on the privacy page).

Change PRIVACY_VERSION whenever the statement's content changes: every request records the
version its sender agreed to. The retention job must keep to the periods below.
"""

import datetime

PRIVACY_VERSION = "2026-1"
PRIVACY_DATE = datetime.date(2026, 1, 1)

# A request that is declined (not taken on) is erased this many months after the decision.
RETENTION_DECLINED_MONTHS = 6
# A case is erased this many years after it is closed or stopped.
RETENTION_CLOSED_YEARS = 2
