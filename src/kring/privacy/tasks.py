"""The retention task (issue 14, point 7; docs/data-retention.md): every night at 01:23 UTC
(02:23 or 03:23 in Amsterdam, when nobody works) erase what is due, as `kring retention` does
(kring.privacy.retention.run). The task carries no data; a case whose erasure fails is logged
by id and tried again the next night."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kring.privacy import retention

logger = logging.getLogger("kring.privacy")


@db_periodic_task(crontab(hour="1", minute="23"))
def erase_due_data() -> None:
    report = retention.run()
    logger.info(
        "retention: %s cases erased, %s mails emptied, %s failed",
        report.erased,
        report.mails,
        len(report.failed),
    )
