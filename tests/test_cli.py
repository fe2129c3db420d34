"""The command-line tools: create-staff and demo-data."""

import re

import pytest
from sqlalchemy import func, select

from tracker.audit import AuditEntry
from tracker.auth.models import Role, User
from tracker.auth.services import authenticate, find_user
from tracker.companies.enums import ApplicationStatus, CompanyType, Standing
from tracker.companies.models import Company, Membership
from tracker.companies.operations import Operation
from tracker.companies.signatures import Signature
from tracker.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tracker.extensions import db
from tracker.plans.models import Plan, PlanState
from tracker.reports import recognition, services
from tracker.reports.models import (
    Report,
    ReportExtension,
    ReportState,
    ReportSubmission,
    ReviewOutcome,
    Section,
    TopMemberAward,
    TrainingRow,
)
from tracker.reports.standing import ReportingStanding
from tracker.reports.standing_query import count_by_standing
from tracker.reports.training import GROUP_COUNTS, TRAINED_THIS_YEAR, StaffGroup, TrainingGroup

PASSWORD_INPUT = "a long staff password\na long staff password\n"
DEMO_OWNER, DEMO_REVIEWER = "owner@demo.thecode.example", "reviewer@demo.thecode.example"


def test_create_staff_reads_the_password_from_stdin(runner):
    result = runner.invoke(
        args=["create-staff", "Rev@Example.org", "--role", "reviewer"], input=PASSWORD_INPUT
    )
    assert result.exit_code == 0, result.output
    user = find_user("rev@example.org")
    assert user.role is Role.REVIEWER
    assert user.email_confirmed
    assert authenticate("rev@example.org", "a long staff password") == user


def test_create_staff_representative_with_countries(runner):
    result = runner.invoke(
        args=[
            "create-staff",
            "rep@example.org",
            "--role",
            "representative",
            "--country",
            "th",
            "--country",
            "KH",
        ],
        input=PASSWORD_INPUT,
    )
    assert result.exit_code == 0, result.output
    assert "Thailand" in result.output
    assert find_user("rep@example.org").country_codes == ["KH", "TH"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "representative"], "at least one country"),
        (["--role", "representative", "--country", "XX"], "Unknown country code"),
        (["--role", "admin", "--country", "TH"], "Only representatives"),
        (["--role", "company"], "Invalid value for '--role'"),
    ],
)
def test_create_staff_refuses_bad_options(runner, args, message):
    result = runner.invoke(args=["create-staff", "x@example.org", *args], input=PASSWORD_INPUT)
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_staff_refuses_a_bad_email_and_a_short_password(runner):
    result = runner.invoke(
        args=["create-staff", "not-an-email", "--role", "admin"], input=PASSWORD_INPUT
    )
    assert result.exit_code != 0 and "e-mail" in result.output
    result = runner.invoke(
        args=["create-staff", "a@example.org", "--role", "admin"], input="short\nshort\n"
    )
    assert result.exit_code != 0 and "at least 10" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_staff_refuses_a_taken_email(runner, reviewer):
    result = runner.invoke(
        args=["create-staff", reviewer.email, "--role", "admin"], input=PASSWORD_INPUT
    )
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_demo_data_loads_realistic_companies(runner):
    result = runner.invoke(args=["demo-data", "--companies", "400", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Company.id))) == 401  # plus the demo owner's
    types = set(db.session.scalars(select(Company.type).distinct()))
    assert types == set(CompanyType)
    countries = db.session.scalar(select(func.count(func.distinct(Operation.country_code))))
    assert countries >= 40
    statuses = set(db.session.scalars(select(Company.status).distinct()))
    assert statuses == set(ApplicationStatus)
    standings = set(db.session.scalars(select(Membership.standing).distinct()))
    assert standings == set(Standing)
    # Chains have properties in several countries.
    chain_countries = db.session.execute(
        select(Operation.company_id, func.count(func.distinct(Operation.country_code)))
        .join(Company)
        .where(Company.type == CompanyType.HOTEL_CHAIN)
        .group_by(Operation.company_id)
    ).all()
    assert max(n for _, n in chain_countries) > 1
    # A few members keep their properties or legal name off the public list, as audited.
    for column in (Company.publish_properties, Company.publish_legal_name):
        private = select(func.count(Company.id)).where(column.is_(False))
        assert db.session.scalar(private) > 0
    changed = select(func.count()).where(AuditEntry.action == "company.publication_choices_changed")
    assert db.session.scalar(changed) > 0


def test_demo_members_are_consistent(runner):
    runner.invoke(args=["demo-data", "--companies", "200", "--seed", "3"])
    members = db.session.scalars(select(Company).join(Membership)).all()
    assert members
    for company in members:
        assert company.membership_number == f"TC-{company.id:06d}"
        assert company.status is ApplicationStatus.APPROVED
        assert company.signatures and company.owner is not None
    signed = db.session.scalar(select(func.count(func.distinct(Signature.company_id))))
    assert signed == len(members)


def test_demo_data_if_empty_keeps_existing_data(runner):
    runner.invoke(args=["demo-data", "--companies", "5"])
    result = runner.invoke(args=["demo-data", "--companies", "5", "--if-empty"])
    assert result.exit_code == 0
    assert "already has data" in result.output
    assert db.session.scalar(select(func.count(Company.id))) == 6


def test_demo_accounts_sign_in(runner, auth):
    result = runner.invoke(args=["demo-data", "--companies", "0"])
    for account in DEMO_ACCOUNTS:
        assert account.email in result.output
        user = authenticate(account.email, DEMO_PASSWORD)
        assert user is not None and user.role is account.role
    response = auth.login("owner@demo.thecode.example", DEMO_PASSWORD)
    assert response.location.endswith("/company/")


def test_demo_member_went_through_the_real_journey(runner):
    runner.invoke(args=["demo-data", "--companies", "0"])
    company = find_user(DEMO_OWNER).company
    assert company.is_member
    assert company.country_codes == ["KH", "TH"]
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.company_id == company.id).order_by(AuditEntry.id)
    ).all()
    calendar, today = services.reporting_calendar(), services.today()
    last = calendar.year(calendar.containing(today).year - 1)
    extended = ["report.extension_granted"] if today > last.due else []
    assert actions == [
        "application.submitted",
        "application.approved",
        "plan.submitted",
        "plan.approved",
        "invoice.issued",
        "invoice.paid",
        "company.signed",
        "report.submitted",
        "report.returned",
        "report.resubmitted",
        "report.accepted",
        *extended,
        "invoice.issued",  # this year's renewal, overdue
    ]
    dates = db.session.scalars(
        select(AuditEntry.created_at)
        .where(AuditEntry.company_id == company.id)
        .order_by(AuditEntry.id)
    ).all()
    assert dates == sorted(dates)  # back-dated in the order it happened


def test_demo_member_has_a_report_accepted_and_one_to_finish(runner):
    runner.invoke(args=["demo-data", "--companies", "0"])
    company = find_user(DEMO_OWNER).company
    calendar, today = services.reporting_calendar(), services.today()
    last = calendar.containing(today).year - 1
    owed = [y.year for y in calendar.ended_years(services.joined_on(company), today)]
    assert owed == [last - 1, last]
    assert 2 * 365 < (today - services.joined_on(company)).days < 4 * 365
    accepted, draft = sorted(services.reports_of(company), key=lambda report: report.year)
    assert (accepted.year, accepted.state) == (last - 1, ReportState.ACCEPTED)
    assert [s.outcome for s in accepted.submissions] == [
        ReviewOutcome.RETURNED,
        ReviewOutcome.ACCEPTED,
    ]
    assert Section.TRAINING.value in accepted.submissions[0].comments
    assert accepted.policy_document and accepted.submissions[-1].content["training"]
    assert (draft.year, draft.state) == (last, ReportState.DRAFT)
    assert services.missing_answers(draft)  # something left to finish
    standing = services.standing_for(company, today)
    assert standing.year == last
    assert standing.kind is (
        ReportingStanding.EXTENDED if today > calendar.year(last).due else ReportingStanding.DUE
    )


def test_demo_data_has_reports_in_every_state(runner):
    result = runner.invoke(args=["demo-data", "--companies", "300", "--seed", "5"])
    assert result.exit_code == 0, result.output
    states = dict(
        db.session.execute(select(Report.state, func.count()).group_by(Report.state)).all()
    )
    assert set(states) == set(ReportState)
    assert states[ReportState.ACCEPTED] > states[ReportState.SUBMITTED] > 0
    today = services.today()
    last = services.reporting_calendar().containing(today).year - 1
    years = set(db.session.scalars(select(Report.year).distinct()))
    assert {last - 2, last - 1, last} <= years
    assert max(years) == last
    assert db.session.scalar(select(func.count(ReportExtension.id))) > 0
    # Everything handed in has its versions, in the format of a real submission.
    real = find_user(DEMO_OWNER).company
    real_content = services.reports_of(real)[-1].submissions[-1].content
    handed_in = db.session.scalars(
        select(Report).where(Report.state != ReportState.DRAFT, Report.company_id != real.id)
    ).all()
    assert handed_in
    for report in handed_in:
        submissions = report.submissions
        assert [s.number for s in submissions] == list(range(1, len(submissions) + 1))
        assert all(s.outcome is ReviewOutcome.RETURNED for s in submissions[:-1])
        latest = submissions[-1]
        expected = {
            ReportState.ACCEPTED: ReviewOutcome.ACCEPTED,
            ReportState.RETURNED: ReviewOutcome.RETURNED,
            ReportState.SUBMITTED: None,
        }[report.state]
        assert latest.outcome is expected
        assert report.training
        for submission in submissions:
            assert submission.content.keys() == real_content.keys()
            assert submission.content["training"]
            for row in submission.content["training"]:
                # (The real member's rows carry "current" and "groups" once the entry side's
                # snapshot writes them; the bulk ones write them already.)
                assert row.keys() == real_content["training"][0].keys()
                assert row["trained"] <= row["employees"]
            if submission.outcome is ReviewOutcome.RETURNED:
                assert submission.comments and set(submission.comments) <= {
                    s.value for s in Section
                }
            assert submission.submitted_at <= (submission.decided_at or submission.submitted_at)
    numbers = {
        tuple(s.outcome for s in report.submissions)
        for report in handed_in
        if report.state is ReportState.ACCEPTED
    }
    assert {(ReviewOutcome.ACCEPTED,), (ReviewOutcome.RETURNED, ReviewOutcome.ACCEPTED)} <= numbers
    too_many = select(func.count()).where(TrainingRow.trained > TrainingRow.employees)
    assert db.session.scalar(too_many) == 0
    assert db.session.scalar(select(func.count()).where(TrainingRow.employees > 0)) > 0
    # Only members report, and only for years that ended after they joined.
    for company_id, year in db.session.execute(select(Report.company_id, Report.year)):
        company = db.session.get(Company, company_id)
        assert company.is_reporting_member
        assert year in {y.year for y in services.open_years(company, today)}


def test_demo_training_is_given_by_staff_group(runner):
    result = runner.invoke(args=["demo-data", "--companies", "300", "--seed", "5"])
    assert result.exit_code == 0, result.output
    groups = db.session.scalars(select(TrainingGroup)).all()
    assert groups
    # Each grouped row's totals are its groups' sums; the currently trained never fewer.
    rows = db.session.scalars(select(TrainingRow).where(TrainingRow.groups.any())).all()
    for row in rows:
        assert row.employees == sum(group.employees or 0 for group in row.groups)
        # A draft carried from last year has its groups' staff, none trained this year yet.
        assert (row.trained or 0) == sum(group.trained or 0 for group in row.groups)
        assert (row.current or 0) == sum(group.current or 0 for group in row.groups)
        assert all(
            (group.trained or 0) <= (group.current or 0) <= (group.employees or 0)
            for group in row.groups
        )
    employees = {staff_group: 0 for staff_group in StaffGroup}
    for group in groups:
        employees[group.staff_group] += group.employees
    assert employees[StaffGroup.FRONT_LINE] > sum(employees.values()) / 2
    for name in TRAINED_THIS_YEAR:  # new and refresher, in person and by e-learning
        assert sum(getattr(group, name) or 0 for group in groups) > 0
    # A company with office staff only, and rows from before staff groups in older years.
    only_other = [row for row in rows if {g.staff_group for g in row.groups} == {StaffGroup.OTHER}]
    assert only_other
    legacy = db.session.scalars(
        select(TrainingRow).where(~TrainingRow.groups.any(), TrainingRow.employees.is_not(None))
    ).all()
    assert legacy and all(row.current == row.trained for row in legacy)
    grouped_years = {row.report.year for row in rows}
    assert min(row.report.year for row in legacy) < min(grouped_years)
    # Submissions keep the groups in the format the entry side writes.
    given = [
        row
        for submission in db.session.scalars(select(ReportSubmission))
        for row in submission.content["training"]
        if row.get("groups")  # (the real member's once the entry side writes them)
    ]
    assert given
    assert set(given[0]["groups"][0]) == {"staff_group", *GROUP_COUNTS}
    assert {group["staff_group"] for row in given for group in row["groups"]} == {
        "front_line",
        "management",
        "other",
    }


def test_the_dashboard_shows_the_demo_data(runner, client, auth):
    runner.invoke(args=["demo-data", "--companies", "200", "--seed", "11"])
    reviewer = find_user(DEMO_REVIEWER)
    today = services.today()
    counts = count_by_standing(reviewer, today)
    assert counts[ReportingStanding.GOOD] > 0
    assert counts[ReportingStanding.UNDER_REVIEW] > 0
    # Which of these depends on the day: before the due date most owe a report still due.
    owing = (ReportingStanding.DUE, ReportingStanding.EXTENDED, ReportingStanding.OVERDUE)
    assert sum(counts[kind] for kind in owing) > 0
    auth.login(DEMO_REVIEWER, DEMO_PASSWORD)
    response = client.get("/review/reports/dashboard")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    total = sum(counts.values())
    assert f'<th scope="row">All members</th><td>{total:,}</td>' in page
    assert "No reporting year has ended yet." not in page
    assert "No reports handed in for" not in page
    # The reviewer's queue (reports under review by default) is not empty.
    queue = client.get("/review/reports/").get_data(as_text=True)
    assert re.search(r'href="/review/reports/\d+"', queue)
    assert "Submitted, under review" in queue


def test_demo_data_has_plans_in_every_state(runner):
    result = runner.invoke(args=["demo-data", "--companies", "300", "--seed", "5"])
    assert result.exit_code == 0, result.output
    states = dict(db.session.execute(select(Plan.state, func.count()).group_by(Plan.state)).all())
    assert set(states) == set(PlanState)
    # Every member has an approved plan; a returned plan has the reviewer's comments.
    members = select(Membership.company_id)
    unplanned = select(func.count()).where(
        Membership.company_id.not_in(
            select(Plan.company_id).where(Plan.state == PlanState.APPROVED)
        )
    )
    assert (
        db.session.scalar(unplanned) == 0
        and db.session.scalar(select(func.count()).select_from(members.subquery())) > 0
    )
    returned = db.session.scalars(select(Plan).where(Plan.state == PlanState.RETURNED)).all()
    assert all(plan.latest_submission.comments for plan in returned)


def test_demo_data_keeps_a_seed(runner):
    def load():
        runner.invoke(args=["demo-data", "--companies", "60", "--seed", "2"])
        rows = db.session.execute(
            select(Report.year, Report.state, TrainingRow.employees, TrainingRow.trained)
            .join(TrainingRow)
            .join(Company, Report.company_id == Company.id)
            .where(Company.display_name != "Andaman Sea Hotels")
            .order_by(Report.company_id, Report.year, TrainingRow.country_code, TrainingRow.id)
        ).all()
        submissions = db.session.scalars(
            select(ReportSubmission.content).order_by(ReportSubmission.id)
        ).all()
        return [tuple(row) for row in rows], [without_ids(content) for content in submissions]

    def without_ids(content: dict) -> dict:
        # Row ids name the evidence files; PostgreSQL's sequences go on counting after a delete.
        files = [
            {k: v for k, v in item.items() if k != "id"} for item in content.get("evidence", [])
        ]
        return content | {"evidence": files}

    first = load()
    for table in reversed(db.metadata.sorted_tables):
        if table.name != "data_versions":
            db.session.execute(table.delete())
    db.session.commit()
    assert first[0] and load() == first


def test_demo_extension_dates_are_later_than_the_normal_due_date(runner):
    runner.invoke(args=["demo-data", "--companies", "300", "--seed", "5"])
    calendar = services.reporting_calendar()
    for extension in db.session.scalars(select(ReportExtension)):
        assert extension.due_on > calendar.year(extension.year).due
        assert extension.granted_at.date() <= extension.due_on
        assert extension.granted_at.date() <= services.today()


def test_demo_data_names_top_members_of_the_two_latest_ended_years(runner):
    result = runner.invoke(args=["demo-data", "--companies", "300", "--seed", "5"])
    assert result.exit_code == 0, result.output
    last = services.reporting_calendar().containing(services.today()).year - 1
    awards = db.session.scalars(select(TopMemberAward)).all()
    assert {award.year for award in awards} == {last - 1, last}
    withdrawn = [award for award in awards if not award.is_standing]
    assert len(withdrawn) == 1 and withdrawn[0].withdrawal_reason
    for award in awards:  # chosen from the accepted reports of its year
        report = services.report_for(award.company, award.year)
        assert report.state is ReportState.ACCEPTED
    assert recognition.latest_named_year() == last
