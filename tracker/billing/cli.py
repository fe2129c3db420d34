"""`flask --app wsgi billing ...`: the daily renewals job."""

from datetime import datetime

import click

from tracker import mail_jobs
from tracker.billing import renewals, services


@click.group("billing")
def billing_group() -> None:
    """Fees and invoices."""


@billing_group.command("renewals")
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="Run as on this day, to test or catch up (default: today, UTC).",
)
@click.option(
    "--queue-only",
    is_flag=True,
    help="Only queue the e-mail; send-mail delivers it (default: send it now too).",
)
def renewals_command(on: datetime | None, queue_only: bool) -> None:
    """Ask owners to confirm their revenue band once the renewal season opens, and issue the
    renewals not confirmed by the auto-issue day; safe to run daily (and twice)."""
    day = on.date() if on is not None else services.today()
    mail_jobs.start_collecting()
    with click.progressbar(
        length=renewals.member_count(), label=f"Renewals ({day})", show_pos=True
    ) as bar:
        counts = renewals.run(day, progress=bar.update)
    click.echo(
        f"Asked to confirm the band: {counts.notices}; renewal invoices issued: "
        f"{counts.issued}; not issued (no fee for the band): {counts.failed}."
    )
    mail_jobs.finish(queue_only)
