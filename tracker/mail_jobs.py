"""Sending what a command-line job queued: the daily jobs (`send-reminders`, `billing
renewals`) queue e-mail in their transactions, then deliver exactly that, or leave it to
`send-mail`."""

import click
from flask import g

from tracker import outbox


def start_collecting() -> None:
    """Forget earlier queued ids: what the job queues from here on, and only that, is sent."""
    g.pop("outbox_ids", None)


def finish(queue_only: bool) -> None:
    """Deliver what the job queued, or say it waits for `send-mail`."""
    queued = g.pop("outbox_ids", [])
    if queue_only:
        click.echo(f"{len(queued)} e-mail queued; send-mail delivers them.")
    elif queued:
        deliver(queued)


def deliver(ids: list[int]) -> None:
    """Send these queued messages, say how it went; exit 1 if some failed (they are retried)."""
    counts = {status: 0 for status in outbox.OutboxStatus}
    failed = 0
    with click.progressbar(ids, label="Sending e-mail", show_pos=True) as bar:
        for message_id in bar:
            status = outbox.deliver_one(message_id)
            if status is outbox.OutboxStatus.PENDING:
                failed += 1
            elif status is not None:
                counts[status] += 1
    click.echo(
        f"Sent {counts[outbox.OutboxStatus.SENT]}, failed {failed} (to retry), "
        f"skipped {counts[outbox.OutboxStatus.SKIPPED]}; {outbox.pending_count()} waiting."
    )
    if failed:
        raise SystemExit(1)
