"""`flask --app wsgi billing ...`: the daily renewals job."""

from datetime import datetime

import click
from flask import g

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
    # Imported here: tracker.cli imports this module, and deliver lives there.
    from tracker.cli import deliver

    day = on.date() if on is not None else services.today()
    g.pop("outbox_ids", None)  # what this run queues, and only that, is delivered below
    with click.progressbar(
        length=renewals.member_count(), label=f"Renewals ({day})", show_pos=True
    ) as bar:
        counts = renewals.run(day, progress=bar.update)
    click.echo(
        f"Asked to confirm the band: {counts.notices}; renewal invoices issued: "
        f"{counts.issued}; not issued (no fee for the band): {counts.failed}."
    )
    queued = g.pop("outbox_ids", [])
    if queue_only:
        click.echo(f"{len(queued)} e-mail queued; send-mail delivers them.")
    elif queued:
        deliver(queued)
