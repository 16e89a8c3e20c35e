"""The audit chain's periodic task (issue 14 point 1, docs/adr/0012-audit-chain.md), every hour:
walk the chain from the last sound check (in full at the first run after 03:00), store the
result for the manager's access log (audit.ChainCheck), and write the head out as an anchor
(a log line on `kring.audit`, and a line in KRING_VAR_DIR/audit-anchors.jsonl). A broken chain
is logged as an error, with the row (its seq) and the code of what is wrong; never content."""

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kring.audit import chain

logger = logging.getLogger("kring.audit")


@db_periodic_task(crontab(minute="41"))
def check_and_anchor_chain() -> None:
    full = timezone.localtime().hour == 3
    result = chain.check(full=full)
    if not result.ok:
        logger.error(
            "audit chain broken at seq=%s (%s); sound up to seq=%s",
            result.first_broken_seq,
            result.reason,
            result.verified_up_to_seq,
        )
    chain.anchor()
