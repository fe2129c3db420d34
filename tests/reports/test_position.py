"""Each member's first unreported year follows every change that moves it."""

from datetime import UTC, date, datetime

from sqlalchemy import update

from tests.reports.helpers import member, ready_report
from tracker.companies.models import Membership
from tracker.extensions import db
from tracker.reports import position, services
from tracker.reports.models import Report, ReportState, Section

ON = date(2026, 2, 1)


def year_of(company) -> int:
    db.session.expire_all()
    return db.session.get(Membership, company.membership.id).first_unreported_year


def test_a_new_member_starts_at_its_first_full_year():
    company, _owner = member(joined=date(2024, 5, 1))
    assert year_of(company) == 2025
    company, _owner = member(joined=date(2024, 1, 1))  # joined on a year's first day
    assert year_of(company) == 2024


def test_a_changed_joining_date_moves_it():
    company, _owner = member(joined=date(2024, 5, 1))
    company.membership.joined_at = datetime(2021, 7, 1, tzinfo=UTC)
    db.session.commit()
    assert year_of(company) == 2022


def test_it_follows_submitting_returning_and_accepting(reviewer):
    company, owner = member(joined=date(2024, 5, 1))
    report = ready_report(company, owner)
    assert year_of(company) == 2025
    services.submit_report(report, owner, report.version, ON)
    db.session.commit()
    assert year_of(company) == 2026
    services.return_report(report, reviewer, {Section.POLICY: "Sign it."}, "", report.version)
    db.session.commit()
    assert year_of(company) == 2025
    services.submit_report(report, owner, report.version, ON)
    services.accept_report(report, reviewer, "", report.version)
    db.session.commit()
    assert year_of(company) == 2026


def test_a_skipped_year_holds_it_back():
    company, _owner = member(joined=date(2022, 3, 1))
    for year in (2023, 2025):
        db.session.add(Report(company=company, year=year, state=ReportState.ACCEPTED))
    db.session.commit()
    assert year_of(company) == 2024
    db.session.add(Report(company=company, year=2024, state=ReportState.SUBMITTED))
    db.session.commit()
    assert year_of(company) == 2026


def test_removing_a_report_moves_it_back():
    company, _owner = member(joined=date(2024, 5, 1))
    report = Report(company=company, year=2025, state=ReportState.ACCEPTED)
    db.session.add(report)
    db.session.commit()
    assert year_of(company) == 2026
    db.session.delete(report)
    db.session.commit()
    assert year_of(company) == 2025


def test_refresh_and_the_command_recompute_it_from_the_reports(runner):
    company, _owner = member(joined=date(2024, 5, 1))
    db.session.add(Report(company=company, year=2025, state=ReportState.ACCEPTED))
    db.session.commit()
    db.session.execute(update(Membership).values(first_unreported_year=1999))
    db.session.commit()
    assert position.refresh() == 1
    db.session.commit()
    assert year_of(company) == 2026
    db.session.execute(update(Membership).values(first_unreported_year=1999))
    db.session.commit()
    result = runner.invoke(args=["recompute-reporting"])
    assert result.exit_code == 0, result.output
    assert "Recomputed 1 members." in result.output
    assert year_of(company) == 2026
