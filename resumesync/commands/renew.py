"""`resumesync renew`: raise the `publish: renew` resumes that are due (for an hourly cron)."""

from __future__ import annotations

import sys
from typing import Any

import click

from resumesync.commands.accounts import accounts, heading
from resumesync.commands.console import ExitCode, reported_problems
from resumesync.commands.options import connection_options
from resumesync.commands.output import RetryLog


@click.command()
@connection_options
@click.pass_obj
def renew(console: Any, **connection: Any) -> None:
    """Raise in search the `publish: renew` resumes that hh.ru allows to raise now, and say
    when each is next due. One read of /resumes/mine, a publish per due resume: cheap
    enough for an hourly schedule."""
    _renew(console, connection)


def _renew(console: Any, connection: dict[str, Any]) -> None:
    import datetime as dt

    from resumesync.renew import renew as renew_resumes

    now = dt.datetime.now(dt.UTC)
    all_ok = True
    with reported_problems(console), accounts(console, connection) as targets:
        for target in targets:
            heading(console, target, len(targets))
            result = renew_resumes(
                target.desired, target.settings, now=now, on_retry=RetryLog(console)
            )
            if not result.renewals:
                console.out("No resume says `publish: renew`: nothing to raise.")
                continue
            for renewal in result.renewals:
                console.out(renewal.describe(now))
            soonest = result.next_due()
            if soonest is not None and soonest.next_due is not None:
                from resumesync.renew import format_moment

                console.out(
                    f"Next renewal due: {soonest.resume} at {format_moment(soonest.next_due, now)}."
                )
            console.out(f"Raised {len(result.renewed)} of {len(result.renewals)} resumes.")
            all_ok = all_ok and result.ok
    if not all_ok:
        sys.exit(ExitCode.ERROR)
