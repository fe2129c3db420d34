"""Command-line tools (`flask --app wsgi ...`): `demo-data`, `create-staff`, `send-mail` (the
outbox's queued e-mail), `send-reminders` (reminders of reports due, and of a new version of
the criteria to sign, then sent) and `criteria notify` (the latter alone); the mail commands are
meant for cron, as is `billing renewals` (tracker/billing/cli.py: the renewal season);
`documents prune` deletes stored policy documents nothing refers to.
"""

from datetime import UTC, datetime, time

import click
from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app, g
from sqlalchemy import func, select

from tracker import mail_jobs, outbox
from tracker.auth.models import Role
from tracker.auth.services import StaffAccount, create_staff, find_user
from tracker.billing.cli import billing_group
from tracker.companies import criteria_notices
from tracker.companies.criteria import current_version
from tracker.companies.models import Membership
from tracker.countries import country_name
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.reports import documents, position, reminders, services
from tracker.reports.models import ReminderKind

STAFF_ROLES = [role.value for role in Role if role.is_staff]


@click.command("demo-data")
@click.option(
    "--companies",
    "count",
    type=click.IntRange(0, 1_000_000),
    default=300,
    show_default=True,
    help="How many fake companies to add.",
)
@click.option("--if-empty", is_flag=True, help="Do nothing if the database already has companies.")
@click.option("--seed", type=int, default=None, help="Seed for repeatable data.")
def demo_data(count: int, if_empty: bool, seed: int | None) -> None:
    """Load the demo sign-ins and COUNT realistic fake companies."""
    if not current_app.config["DEMO_DATA_ALLOWED"]:
        raise click.ClickException(
            "demo-data adds fake companies and sign-ins with a published password: it refuses "
            "to run under this configuration (TRACKER_CONFIG=development allows it)."
        )
    # Imported here: Faker and the demo module stay out of the running app's imports.
    from tracker import demo

    if if_empty and demo.company_count() > 0:
        click.echo("The database already has data: no demo data added.")
    else:
        demo.ensure_demo_accounts()
        db.session.commit()
        with click.progressbar(
            length=count, label="Adding companies", show_pos=True, show_eta=True
        ) as bar:
            demo.load_companies(count, seed=seed, progress=bar.update)
        demo.load_billing(demo.demo_reviewer())
        demo.ensure_demo_representatives()
        db.session.commit()
        click.echo(f"The database now holds {demo.company_count():,} companies.")
    print_demo_accounts()


def print_demo_accounts() -> None:
    from tracker import demo

    present = [account for account in demo.DEMO_ACCOUNTS if find_user(account.email)]
    if present:
        click.echo(f"\nDemo sign-ins (password for all: {demo.DEMO_PASSWORD}):")
    for account in present:
        click.echo(f"  {account.email:<34} {account.note}")
    if any(account.role.is_staff for account in present):
        click.echo(
            f"Staff also type a code from an authenticator app holding the demo key "
            f"{demo.DEMO_TOTP_SECRET}, or the one this prints:\n  .venv/bin/python -c "
            f"'import pyotp; print(pyotp.TOTP(\"{demo.DEMO_TOTP_SECRET}\").now())'"
        )


@click.command("create-staff")
@click.argument("email")
@click.option("--role", type=click.Choice(STAFF_ROLES), required=True)
@click.option(
    "--country",
    "countries",
    multiple=True,
    metavar="XX",
    help="ISO 3166-1 alpha-2 code; repeat for each country of a representative.",
)
@click.option("--name", default=None, help="Display name (default: the part before the @).")
@click.password_option(prompt="Password", help="Read from a prompt, or from stdin when piped.")
def create_staff_command(
    email: str, role: str, countries: tuple[str, ...], name: str | None, password: str
) -> None:
    """Create a staff account for EMAIL."""
    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="password")
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise click.BadParameter(
            f"not a valid e-mail address ({error})", param_hint="EMAIL"
        ) from error
    codes = tuple(code.upper() for code in countries)
    account = StaffAccount(
        email=email,
        name=name or email.split("@")[0],
        role=Role(role),
        password=password,
        countries=codes,
    )
    try:
        user = create_staff(account)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    where = f" for {', '.join(country_name(code) for code in codes)}" if codes else ""
    click.echo(f"Created {Role(role).label} {user.email}{where}.")


@click.command("send-mail")
@click.option(
    "--limit",
    type=click.IntRange(1, 100_000),
    default=1000,
    show_default=True,
    help="Send at most this many messages in this run.",
)
def send_mail_command(limit: int) -> None:
    """Send the queued e-mail that is due; safe to run every minute from cron."""
    mail_jobs.deliver(outbox.due_message_ids(limit))


REMINDER_LABELS = {
    ReminderKind.DUE_IN_90_DAYS: "90 days before",
    ReminderKind.DUE_IN_30_DAYS: "30 days before",
    ReminderKind.DUE_TODAY: "on the day",
    ReminderKind.OVERDUE: "overdue",
}


@click.command("send-reminders")
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="Remind as on this day, to test or catch up (default: today, UTC).",
)
@click.option(
    "--queue-only",
    is_flag=True,
    help="Only queue the e-mail; send-mail delivers it (default: send it now too).",
)
def send_reminders_command(on: datetime | None, queue_only: bool) -> None:
    """E-mail members whose report is due in 90 or 30 days, today, or overdue, and members
    asked to sign a new version of the criteria (as `criteria notify`); safe to run daily.
    (Top Member titles belong to their year and are not ended by it.)"""
    day = on.date() if on is not None else services.today()
    mail_jobs.start_collecting()
    with click.progressbar(
        length=reminders.member_count(), label=f"Reminding members ({day})", show_pos=True
    ) as bar:
        counts = reminders.queue_reminders(day, progress=bar.update)
    parts = ", ".join(f"{label}: {counts[kind]}" for kind, label in REMINDER_LABELS.items())
    click.echo(f"Queued reminders: {parts} ({sum(counts.values())} in all).")
    notify_criteria(datetime.combine(day, time(), UTC) if on is not None else None)
    mail_jobs.finish(queue_only)


@click.group("criteria")
def criteria_group() -> None:
    """The criteria of The Code, by version (CRITERIA_VERSION is the one in force)."""


@criteria_group.command("notify")
@click.option("--dry-run", is_flag=True, help="Only count the e-mail that would be queued.")
def notify_criteria_command(dry_run: bool) -> None:
    """E-mail the owner of each active member asked to sign the version of the criteria in
    force, once, then remind it once after CRITERIA_RESIGN_REMINDER_DAYS; safe to run daily."""
    mail_jobs.start_collecting()
    notify_criteria(None, dry_run=dry_run)
    if not dry_run:
        mail_jobs.deliver(g.pop("outbox_ids", []))


def notify_criteria(now: datetime | None, dry_run: bool = False) -> None:
    """Queue the criteria notices and reminders due at `now` (None: now) and say how many."""
    version = current_version()
    with click.progressbar(
        length=criteria_notices.member_count(),
        label=f"Members to sign criteria version {version}",
        show_pos=True,
    ) as bar:
        counts = criteria_notices.queue_notices(now, progress=bar.update, dry_run=dry_run)
    verb = "Would queue" if dry_run else "Queued"
    click.echo(
        f"{verb} criteria version {version} notices: {counts[criteria_notices.NOTICE]}, "
        f"reminders: {counts[criteria_notices.REMINDER]}."
    )


@click.command("recompute-reporting")
def recompute_reporting_command() -> None:
    """Recompute each member's first unreported year from its reports (after changing the
    reporting calendar's configuration, say); standings follow from it."""
    total = db.session.scalar(select(func.count()).select_from(Membership))
    with click.progressbar(length=total, label="Members", show_pos=True) as bar:
        done = position.refresh(progress=bar.update)
    db.session.commit()
    click.echo(f"Recomputed {done:,} members.")


@click.group("documents")
def documents_group() -> None:
    """The policy documents of annual reports kept on disk."""


@documents_group.command("prune")
@click.option(
    "--min-age",
    type=click.IntRange(0, 525_600),
    default=60,
    show_default=True,
    help="Minutes a file must have existed: a younger one may await its save's commit.",
)
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
def prune_documents_command(min_age: int, dry_run: bool) -> None:
    """Delete stored policy documents that no report or version refers to."""
    folder = documents.folder()
    parts = documents.subfolders(folder)
    with click.progressbar(length=len(parts), label=f"Checking {folder}", show_pos=True) as bar:
        counts = documents.prune(folder, min_age * 60, dry_run=dry_run, progress=bar.update)
    verb = "Would remove" if dry_run else "Removed"
    click.echo(
        f"{verb} {counts.removed:,} unused files ({counts.removed_bytes:,} bytes) and "
        f"{counts.temporary:,} half-written uploads; kept {counts.in_use:,} in use and "
        f"{counts.recent:,} younger than {min_age} minutes; left {counts.other:,} others alone."
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_data)
    app.cli.add_command(create_staff_command)
    app.cli.add_command(send_mail_command)
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(recompute_reporting_command)
    app.cli.add_command(criteria_group)
    app.cli.add_command(documents_group)
    app.cli.add_command(billing_group)
