"""The one-query standings, and the public `overdue` filter, agree with `standing_of`, member by
member."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import CompanyFactory
from tests.reports.helpers import member, ready_report
from tracker.companies.enums import Stage
from tracker.companies.models import Company, Membership
from tracker.extensions import db
from tracker.reports import services
from tracker.reports.models import Report, ReportExtension, ReportState
from tracker.reports.standing import ReportingStanding
from tracker.reports.standing_query import count_by_standing, overdue, standings
from tracker.review.reports import dashboard


def add_report(company, year, state):
    db.session.add(Report(company=company, year=year, state=state))


@pytest.fixture()
def members(reviewer):
    """Members in every standing on the days the tests look at."""
    made = []
    # Joined in 2022: owes 2023, 2024, 2025.
    for states in (
        {},
        {2023: ReportState.ACCEPTED},
        {2023: ReportState.ACCEPTED, 2024: ReportState.ACCEPTED},
        {2023: ReportState.ACCEPTED, 2024: ReportState.ACCEPTED, 2025: ReportState.SUBMITTED},
        {2023: ReportState.ACCEPTED, 2024: ReportState.ACCEPTED, 2025: ReportState.ACCEPTED},
        {
            2023: ReportState.ACCEPTED,
            2024: ReportState.RETURNED,
            2025: ReportState.SUBMITTED,
        },  # gap
        {2023: ReportState.ACCEPTED, 2025: ReportState.ACCEPTED},  # skipped 2024: a gap
        {2023: ReportState.SUBMITTED, 2024: ReportState.DRAFT},
    ):
        company, _owner = member(joined=date(2022, 3, 15))
        for year, state in states.items():
            add_report(company, year, state)
        made.append(company)
    extended, _owner = member(joined=date(2024, 6, 1))
    db.session.add(
        ReportExtension(
            company_id=extended.id,
            year=2025,
            due_on=date(2026, 9, 30),
            reason="Flood",
            granted_by_id=reviewer.id,
        )
    )
    made.append(extended)
    made.append(member(joined=date(2026, 1, 1))[0])  # joined on a year's first day
    made.append(member(joined=date(2025, 12, 31))[0])
    CompanyFactory(stage=Stage.WITHDRAWN)  # not a member any more: never counted
    db.session.commit()
    return made


@pytest.mark.parametrize(
    "on", [date(2026, 2, 1), date(2026, 3, 31), date(2026, 4, 1), date(2026, 10, 1)]
)
def test_each_member_stands_as_in_python(members, reviewer, on):
    rows = {row.company_id: row for row in db.session.execute(standings(reviewer, on))}
    assert set(rows) == {company.id for company in members}
    for company in members:
        expected = services.standing_for(company, on)
        row = rows[company.id]
        assert row.kind == expected.kind.value, (company.id, on)
        if expected.kind in (ReportingStanding.DUE, ReportingStanding.EXTENDED):
            assert row.year == expected.year
        if expected.kind is ReportingStanding.OVERDUE:
            assert row.year == expected.year


def test_counts_agree_with_python(members, reviewer):
    on = date(2026, 4, 1)
    counts = count_by_standing(reviewer, on)
    expected = {kind: 0 for kind in ReportingStanding}
    for company in members:
        expected[services.standing_for(company, on).kind] += 1
    assert counts == expected
    assert sum(counts.values()) == len(members)


def test_a_representative_counts_only_their_countries(reviewer, rep_fr):
    member(countries=("TH",))
    member(countries=("FR",))
    assert sum(count_by_standing(rep_fr, date(2026, 4, 1)).values()) == 1
    assert sum(count_by_standing(reviewer, date(2026, 4, 1)).values()) == 2


def test_a_submitted_report_keeps_a_member_under_review(reviewer):
    company, owner = member()
    report = ready_report(company, owner)
    services.submit_report(report, owner, report.version, date(2026, 2, 1))
    db.session.commit()
    counts = count_by_standing(reviewer, date(2026, 5, 1))
    assert counts[ReportingStanding.UNDER_REVIEW] == 1


def test_overdue_per_country_and_type_agree_with_python(members, reviewer):
    on = date(2026, 4, 1)
    overdue = [c for c in members if services.standing_for(c, on).kind is ReportingStanding.OVERDUE]
    assert members[5] in overdue and members[6] in overdue  # both with a year skipped
    assert sum(row[2] for row in dashboard.by_type(reviewer, on)) == len(overdue)
    by_country = {code: row for code, *row in dashboard.by_country(reviewer, on)}
    assert by_country["TH"] == [len(members), len(overdue)]


@pytest.mark.parametrize("on", [date(2026, 4, 1), date(2026, 10, 1)])
def test_lists_give_each_members_due_date_and_days_as_python(members, reviewer, on):
    for kind in ("overdue", "extended"):
        for row in dashboard.listed(reviewer, on, kind, limit=None):
            expected = services.standing_for(db.session.get(Company, row.company_id), on)
            assert (row.year, row.due, row.days_overdue) == (
                expected.year,
                expected.due,
                expected.days_overdue,
            )


@pytest.fixture()
def extended_for_ever(reviewer):
    """A member (owing 2025 and 2026) whose 2025 report an older rule let staff extend to 2999."""
    company, _owner = member(joined=date(2024, 6, 1))
    db.session.add(
        ReportExtension(
            company_id=company.id,
            year=2025,
            due_on=date(2999, 1, 1),
            reason="Typo",
            granted_by_id=reviewer.id,
        )
    )
    db.session.commit()
    return company


@pytest.mark.parametrize(
    ("on", "kind", "due"),
    [
        # The extension counts up to the latest an extension may reach: 2026's due date.
        (date(2026, 10, 1), "extended", date(2027, 3, 31)),
        # Then 2025 is overdue, and so is 2026: the extension of one never hides the other.
        (date(2027, 4, 10), "overdue", date(2027, 3, 31)),
    ],
)
def test_an_unbounded_extension_hides_no_later_year(extended_for_ever, reviewer, on, kind, due):
    expected = services.standing_for(extended_for_ever, on)
    assert (expected.kind.value, expected.year, expected.due) == (kind, 2025, due)
    row = db.session.execute(standings(reviewer, on)).one()
    assert (row.kind, row.year) == (kind, 2025)
    listed = dashboard.listed(reviewer, on, kind, limit=None)
    assert [(r.company_id, r.due) for r in listed] == [(extended_for_ever.id, due)]


ACCEPTED, SUBMITTED = ReportState.ACCEPTED, ReportState.SUBMITTED
RETURNED, DRAFT = ReportState.RETURNED, ReportState.DRAFT
APRIL_2026 = date(2026, 4, 1)  # the day after the 2025 report's normal due date

# (joined, reports {year: state}, extensions {year: due_on}, on, overdue on that day)
OWED = {
    "joined too late to owe": (date(2025, 12, 31), {}, {}, APRIL_2026, False),
    "joined on a year's first day": (date(2025, 1, 1), {}, {}, APRIL_2026, True),
    "owed, on its due date": (date(2024, 6, 1), {}, {}, date(2026, 3, 31), False),
    "owed, the day after": (date(2024, 6, 1), {}, {}, APRIL_2026, True),
    "submitted": (date(2024, 6, 1), {2025: SUBMITTED}, {}, APRIL_2026, False),
    "accepted": (date(2024, 6, 1), {2025: ACCEPTED}, {}, APRIL_2026, False),
    "returned": (date(2024, 6, 1), {2025: RETURNED}, {}, APRIL_2026, True),
    "a draft": (date(2024, 6, 1), {2025: DRAFT}, {}, APRIL_2026, True),
    "a year skipped": (date(2022, 3, 15), {2023: ACCEPTED, 2025: ACCEPTED}, {}, APRIL_2026, True),
    "all handed in": (
        date(2022, 3, 15),
        {2023: ACCEPTED, 2024: ACCEPTED, 2025: SUBMITTED},
        {},
        APRIL_2026,
        False,
    ),
    "extended": (date(2024, 6, 1), {}, {2025: date(2026, 9, 30)}, APRIL_2026, False),
    "extension run out": (date(2024, 6, 1), {}, {2025: date(2026, 9, 30)}, date(2026, 10, 1), True),
    "extension of a year handed in": (
        date(2022, 3, 15),
        {2023: ACCEPTED, 2024: ACCEPTED},
        {2024: date(2026, 9, 30)},
        APRIL_2026,
        True,
    ),
    "extension of an older year, capped": (
        date(2022, 3, 15),
        {},
        {2023: date(2026, 9, 30)},
        APRIL_2026,
        True,
    ),
    "extension past its limit, within it": (
        date(2024, 6, 1),
        {},
        {2025: date(2999, 1, 1)},
        date(2027, 3, 31),
        False,
    ),
    "extension past its limit, after it": (
        date(2024, 6, 1),
        {},
        {2025: date(2999, 1, 1)},
        date(2027, 4, 1),
        True,
    ),
}


@pytest.mark.parametrize("case", OWED)
def test_overdue_is_the_sql_twin_of_the_python_standing(reviewer, case):
    joined, reports, extensions, on, expected = OWED[case]
    company, _owner = member(joined=joined)
    for year, state in reports.items():
        add_report(company, year, state)
    for year, due_on in extensions.items():
        db.session.add(
            ReportExtension(
                company_id=company.id,
                year=year,
                due_on=due_on,
                reason="Audit",
                granted_by_id=reviewer.id,
            )
        )
    db.session.commit()
    python = services.standing_for(company, on).kind is ReportingStanding.OVERDUE
    late = set(db.session.scalars(select(Membership.company_id).where(overdue(on))))
    assert python is expected
    assert (company.id in late) is expected
