"""send-reminders: reports due in 90 and 30 days, on the day and overdue, each at most once."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests.factories import staff
from tests.reports.helpers import member
from tracker.auth.models import Role
from tracker.companies.enums import Standing
from tracker.extensions import db
from tracker.outbox import OutboxMessage
from tracker.reports import reminders
from tracker.reports.models import (
    ReminderKind,
    Report,
    ReportExtension,
    ReportReminder,
    ReportState,
)

# The 2025 report of a member who joined in 2024 is due on 31 March 2026.
DUE = date(2026, 3, 31)
IN_89_DAYS = date(2026, 1, 1)
IN_20_DAYS = date(2026, 3, 11)
OVERDUE = date(2026, 4, 1)

NOTHING = {kind: 0 for kind in ReminderKind}


def queued(**counts) -> dict:
    return {**NOTHING, **{ReminderKind[name]: count for name, count in counts.items()}}


def on_record(company) -> list[tuple[int, ReminderKind]]:
    query = select(ReportReminder.year, ReportReminder.kind).where(
        ReportReminder.company_id == company.id
    )
    return [tuple(row) for row in db.session.execute(query.order_by(ReportReminder.id))]


def mail_to(address: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.recipient == address)
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def report(company, state: ReportState, year: int = 2025) -> Report:
    row = Report(company_id=company.id, year=year, state=state)
    db.session.add(row)
    db.session.commit()
    return row


def extension(company, due_on: date, year: int = 2025) -> None:
    admin = staff(Role.ADMIN)
    db.session.add(
        ReportExtension(
            company_id=company.id, year=year, due_on=due_on, reason="Audit", granted_by_id=admin.id
        )
    )
    db.session.commit()


class TestKinds:
    @pytest.mark.parametrize(
        ("days", "kind"),
        [
            (91, None),
            (90, ReminderKind.DUE_IN_90_DAYS),
            (31, ReminderKind.DUE_IN_90_DAYS),
            (30, ReminderKind.DUE_IN_30_DAYS),
            (1, ReminderKind.DUE_IN_30_DAYS),
            (0, ReminderKind.DUE_TODAY),
            (-1, ReminderKind.OVERDUE),
            (-400, ReminderKind.OVERDUE),
        ],
    )
    def test_the_kind_by_days_until_due(self, days, kind):
        assert reminders.kind_for(days) is kind

    def test_90_days_before(self):
        company, owner = member(joined=date(2024, 5, 1))
        assert reminders.queue_reminders(IN_89_DAYS) == queued(DUE_IN_90_DAYS=1)
        assert on_record(company) == [(2025, ReminderKind.DUE_IN_90_DAYS)]
        (message,) = mail_to(owner.email)
        assert message.subject == "Your 2025 report to The Code is due on March 31, 2026"
        assert "due on March 31, 2026, in 89 days" in message.body
        assert company.display_name in message.body
        assert "https://tracker.test/company/reports/" in message.body

    def test_nothing_91_days_before(self):
        member(joined=date(2024, 5, 1))
        assert reminders.queue_reminders(date(2025, 12, 30)) == NOTHING
        assert db.session.scalars(select(OutboxMessage)).all() == []

    def test_30_days_before_only_the_most_urgent(self):
        company, owner = member(joined=date(2024, 5, 1))
        assert reminders.queue_reminders(IN_20_DAYS) == queued(DUE_IN_30_DAYS=1)
        assert on_record(company) == [(2025, ReminderKind.DUE_IN_30_DAYS)]
        # Met 20 days before: the 90-day reminder never follows.
        assert reminders.queue_reminders(date(2026, 3, 12)) == NOTHING
        assert "in 20 days" in mail_to(owner.email)[0].body

    def test_on_the_day(self):
        company, owner = member(joined=date(2024, 5, 1))
        assert reminders.queue_reminders(DUE) == queued(DUE_TODAY=1)
        (message,) = mail_to(owner.email)
        assert message.subject == "Your 2025 report to The Code is due today"
        assert "due today, March 31, 2026" in message.body
        assert "Please submit it today." in message.body

    def test_overdue_once_per_year_not_once_a_day(self):
        company, owner = member(joined=date(2024, 5, 1))
        assert reminders.queue_reminders(OVERDUE) == queued(OVERDUE=1)
        assert reminders.queue_reminders(date(2026, 4, 2)) == NOTHING
        (message,) = mail_to(owner.email)
        assert message.subject == "Your 2025 report to The Code is overdue"
        assert "was due on March 31, 2026: it is 1 day overdue" in message.body

    def test_one_overdue_reminder_for_each_year_owed(self):
        company, owner = member(joined=date(2023, 5, 1))
        # 2024 is long overdue; 2025 is due in 89 days.
        assert reminders.queue_reminders(IN_89_DAYS) == queued(DUE_IN_90_DAYS=1, OVERDUE=1)
        assert sorted(on_record(company)) == [
            (2024, ReminderKind.OVERDUE),
            (2025, ReminderKind.DUE_IN_90_DAYS),
        ]
        assert "is 276 days overdue" in mail_to(owner.email)[0].body

    def test_the_year_ending_today_is_90_days_from_its_due_date(self):
        company, _owner = member(joined=date(2024, 5, 1))
        report(company, ReportState.ACCEPTED, year=2025)
        assert reminders.queue_reminders(date(2026, 12, 31)) == queued(DUE_IN_90_DAYS=1)
        assert on_record(company) == [(2026, ReminderKind.DUE_IN_90_DAYS)]

    def test_the_whole_sequence_one_of_each(self):
        company, owner = member(joined=date(2024, 5, 1))
        day = date(2025, 12, 1)
        while day <= date(2026, 6, 30):
            reminders.queue_reminders(day)
            day = date.fromordinal(day.toordinal() + 1)
        assert on_record(company) == [
            (2025, ReminderKind.DUE_IN_90_DAYS),
            (2025, ReminderKind.DUE_IN_30_DAYS),
            (2025, ReminderKind.DUE_TODAY),
            (2025, ReminderKind.OVERDUE),
        ]
        assert len(mail_to(owner.email)) == 4


class TestNeverTwice:
    def test_a_second_run_queues_nothing(self):
        company, owner = member(joined=date(2024, 5, 1))
        assert reminders.queue_reminders(IN_89_DAYS) == queued(DUE_IN_90_DAYS=1)
        assert reminders.queue_reminders(IN_89_DAYS) == NOTHING
        assert len(mail_to(owner.email)) == 1

    def test_a_concurrent_run_is_stopped_by_the_unique_key(self, monkeypatch):
        company, owner = member(joined=date(2024, 5, 1))
        other, other_owner = member(joined=date(2024, 5, 1))
        assert reminders.queue_reminders(IN_89_DAYS) == queued(DUE_IN_90_DAYS=2)
        # A second copy that read the reminders on record before the first committed.
        monkeypatch.setattr(reminders, "already_sent", lambda ids: set())
        assert reminders.queue_reminders(IN_89_DAYS) == NOTHING
        assert len(mail_to(owner.email)) == len(mail_to(other_owner.email)) == 1
        assert len(on_record(company)) == len(on_record(other)) == 1

    def test_the_savepoint_keeps_the_others_of_the_batch(self, monkeypatch):
        first, _ = member(joined=date(2024, 5, 1))
        second, second_owner = member(joined=date(2024, 5, 1))
        db.session.add(ReportReminder(company_id=first.id, year=2025, kind=ReminderKind.OVERDUE))
        db.session.commit()
        monkeypatch.setattr(reminders, "already_sent", lambda ids: set())
        assert reminders.queue_reminders(OVERDUE) == queued(OVERDUE=1)
        assert len(mail_to(second_owner.email)) == 1
        assert len(on_record(second)) == 1

    def test_batches_cover_every_member(self):
        owners = [member(joined=date(2024, 5, 1))[1] for _ in range(5)]
        seen = []
        counts = reminders.queue_reminders(IN_89_DAYS, progress=seen.append, batch_size=2)
        assert counts == queued(DUE_IN_90_DAYS=5)
        assert seen == [2, 2, 1]
        assert all(len(mail_to(owner.email)) == 1 for owner in owners)


class TestWhoIsReminded:
    @pytest.mark.parametrize("state", [ReportState.SUBMITTED, ReportState.ACCEPTED])
    def test_not_for_a_report_handed_in(self, state):
        company, owner = member(joined=date(2024, 5, 1))
        report(company, state)
        assert reminders.queue_reminders(OVERDUE) == NOTHING
        assert mail_to(owner.email) == []

    @pytest.mark.parametrize("state", [ReportState.DRAFT, ReportState.RETURNED])
    def test_a_report_not_handed_in_is_reminded(self, state):
        company, owner = member(joined=date(2024, 5, 1))
        report(company, state)
        assert reminders.queue_reminders(OVERDUE) == queued(OVERDUE=1)

    def test_an_extension_moves_the_due_date(self):
        company, owner = member(joined=date(2024, 5, 1))
        extension(company, date(2026, 6, 15))
        assert reminders.queue_reminders(DUE) == queued(DUE_IN_90_DAYS=1)  # not on the day
        assert reminders.queue_reminders(OVERDUE) == NOTHING  # not overdue either
        assert reminders.queue_reminders(date(2026, 6, 15)) == queued(DUE_TODAY=1)
        assert reminders.queue_reminders(date(2026, 6, 16)) == queued(OVERDUE=1)
        first = mail_to(owner.email)[0]
        assert first.subject == "Your 2025 report to The Code is due on June 15, 2026"
        assert "due on June 15, 2026, in 76 days" in first.body

    def test_a_member_who_joined_this_year_gets_nothing(self):
        member(joined=date(2025, 6, 1))
        member(joined=date(2026, 1, 1))
        assert reminders.queue_reminders(IN_89_DAYS) == NOTHING
        assert reminders.queue_reminders(date(2026, 4, 1)) == NOTHING

    def test_a_suspended_member_is_reminded(self):
        company, owner = member(joined=date(2024, 5, 1))
        company.membership.standing = Standing.SUSPENDED
        db.session.commit()
        assert reminders.queue_reminders(OVERDUE) == queued(OVERDUE=1)

    @pytest.mark.parametrize("standing", [Standing.WITHDRAWN, Standing.EXPELLED])
    def test_former_members_get_nothing(self, standing):
        company, owner = member(joined=date(2024, 5, 1))
        company.membership.standing = standing
        db.session.commit()
        assert reminders.queue_reminders(OVERDUE) == NOTHING
        assert mail_to(owner.email) == []

    def test_without_an_owner_the_contact_email(self):
        company, owner = member(joined=date(2024, 5, 1))
        db.session.delete(owner)
        db.session.commit()
        assert reminders.queue_reminders(OVERDUE) == queued(OVERDUE=1)
        assert len(mail_to(company.contact_email)) == 1

    def test_a_deactivated_owner_is_not_written_to_the_contact_email_is(self):
        company, owner = member(joined=date(2024, 5, 1))
        owner.deactivated_at = datetime.now(UTC)
        db.session.commit()
        assert reminders.queue_reminders(OVERDUE) == queued(OVERDUE=1)
        assert mail_to(owner.email) == []
        assert len(mail_to(company.contact_email)) == 1

    def test_without_an_owner_or_a_contact_email_nothing_and_nothing_on_record(self):
        company, owner = member(joined=date(2024, 5, 1))
        company.contact_email = ""
        db.session.delete(owner)
        db.session.commit()
        assert reminders.queue_reminders(OVERDUE) == NOTHING
        assert on_record(company) == []

    def test_in_the_owners_language(self):
        company, owner = member(joined=date(2024, 5, 1))
        owner.locale = "fr"
        db.session.commit()
        reminders.queue_reminders(IN_89_DAYS)
        assert "31 mars 2026" in mail_to(owner.email)[0].body
        assert "31 mars 2026" in mail_to(owner.email)[0].subject


class TestRepresentatives:
    def test_the_countrys_representative_gets_a_copy(self):
        company, owner = member(joined=date(2024, 5, 1), countries=("TH", "KH"))
        thailand = staff(Role.REPRESENTATIVE, countries=("TH",))
        both = staff(Role.REPRESENTATIVE, countries=("KH", "TH"))
        france = staff(Role.REPRESENTATIVE, countries=("FR",))
        assert reminders.queue_reminders(OVERDUE) == queued(OVERDUE=1)
        (copy,) = mail_to(thailand.email)
        assert copy.kind == "report_reminder_copy"
        assert copy.subject == f"Copy: the 2025 report of {company.display_name} is overdue"
        assert "This is a copy" in copy.body and owner.email in copy.body
        assert f"https://tracker.test/review/companies/{company.id}" in copy.body
        assert len(mail_to(both.email)) == 1  # once, though both its countries match
        assert mail_to(france.email) == []
        assert "This is a copy" not in mail_to(owner.email)[0].body

    def test_not_a_deactivated_representative(self):
        member(joined=date(2024, 5, 1), countries=("TH",))
        gone = staff(Role.REPRESENTATIVE, countries=("TH",), deactivated_at=datetime.now(UTC))
        assert reminders.queue_reminders(OVERDUE) == queued(OVERDUE=1)
        assert mail_to(gone.email) == []

    def test_only_representatives_are_copied(self):
        member(joined=date(2024, 5, 1), countries=("TH",))
        reviewer = staff(Role.REVIEWER, countries=("TH",))  # countries mean nothing for it
        reminders.queue_reminders(OVERDUE)
        assert mail_to(reviewer.email) == []


class TestCommand:
    def test_prints_the_counts_and_sends_the_mail(self, runner, smtp):
        member(joined=date(2024, 5, 1), countries=("TH",))
        company, owner = member(joined=date(2023, 5, 1), countries=("TH",))
        representative = staff(Role.REPRESENTATIVE, countries=("TH",))
        result = runner.invoke(args=["send-reminders", "--date", "2026-01-01"])
        assert result.exit_code == 0, result.output
        assert (
            "Queued reminders: 90 days before: 2, 30 days before: 0, on the day: 0, "
            "overdue: 1 (3 in all)." in result.output
        )
        assert "Sent 6, failed 0" in result.output
        assert len(smtp.to(owner.email)) == 2
        assert len(smtp.to(representative.email)) == 3
        subjects = {message["Subject"] for message in smtp.to(owner.email)}
        assert "[The Code] Your 2024 report to The Code is overdue" in subjects

    def test_a_second_run_queues_and_sends_nothing(self, runner, smtp):
        member(joined=date(2024, 5, 1))
        runner.invoke(args=["send-reminders", "--date", "2026-01-01"])
        smtp.messages.clear()
        result = runner.invoke(args=["send-reminders", "--date", "2026-01-02"])
        assert result.exit_code == 0, result.output
        assert "Queued reminders: 90 days before: 0," in result.output
        assert "(0 in all)" in result.output
        assert smtp.messages == []

    def test_queue_only_leaves_delivery_to_send_mail(self, runner, smtp):
        _company, owner = member(joined=date(2024, 5, 1))
        result = runner.invoke(args=["send-reminders", "--date", "2026-01-01", "--queue-only"])
        assert result.exit_code == 0, result.output
        assert "1 e-mail queued; send-mail delivers them." in result.output
        assert smtp.messages == []
        assert runner.invoke(args=["send-mail"]).exit_code == 0
        assert len(smtp.to(owner.email)) == 1

    def test_refuses_a_bad_date(self, runner):
        result = runner.invoke(args=["send-reminders", "--date", "1 January"])
        assert result.exit_code != 0
        assert "--date" in result.output
