"""Review decisions and the staff queue, called directly (no HTTP)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from tests.factories import CompanyFactory, UserFactory, staff
from tracker.audit import AuditEntry
from tracker.auth.models import Role, User
from tracker.companies.enums import ApplicationStatus, Stage
from tracker.companies.models import Company
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.review import services

# name: (service, extra arguments, resulting status, audit action)
DECISIONS = {
    "approve": (
        services.approve_application,
        (),
        ApplicationStatus.APPROVED,
        "application.approved",
    ),
    "return": (
        services.return_application,
        ("  Add a website. ",),
        ApplicationStatus.RETURNED,
        "application.returned",
    ),
    "reject": (
        services.reject_application,
        ("  Not a travel company. ",),
        ApplicationStatus.REJECTED,
        "application.rejected",
    ),
}


def decide(name: str, company: Company, reviewer: User) -> None:
    service, args, _, _ = DECISIONS[name]
    service(company, reviewer, *args)


def audit_rows() -> list[AuditEntry]:
    """The decisions' entries (approval also issues the joining invoice: tests/billing)."""
    query = select(AuditEntry).where(AuditEntry.action.not_like("invoice.%"))
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def company_with(stage: Stage, **kwargs) -> Company:
    return CompanyFactory(stage=stage, **kwargs)


# decisions


# Representatives return applications; approving and rejecting are ECPAT's (the permission table).
DECIDERS = [
    *(("reviewer", name) for name in DECISIONS),
    *(("admin", name) for name in DECISIONS),
    ("rep_th", "return"),
]


@pytest.mark.parametrize(("reviewer_fixture", "decision"), DECIDERS)
def test_decision_records_audit_row(request, company_a, decision, reviewer_fixture):
    reviewer = request.getfixturevalue(reviewer_fixture)
    _, args, to_status, action = DECISIONS[decision]
    decide(decision, company_a, reviewer)
    db.session.commit()
    db.session.refresh(company_a)
    assert company_a.status is to_status
    [entry] = audit_rows()
    assert entry.action == action
    assert entry.actor_id == reviewer.id
    assert entry.company_id == company_a.id
    assert (entry.from_status, entry.to_status) == ("submitted", to_status.value)
    assert entry.comment == (args[0].strip() if args else None)


@pytest.mark.parametrize("decision", DECISIONS)
@pytest.mark.parametrize("status", list(Stage))
def test_only_submitted_applications_can_be_decided(reviewer, decision, status):
    company = company_with(status)
    if status is Stage.SUBMITTED:
        decide(decision, company, reviewer)
        assert company.status is DECISIONS[decision][2]
        assert len(audit_rows()) == 1
    else:
        with pytest.raises(DomainError, match="no longer waiting for review"):
            decide(decision, company, reviewer)
        db.session.rollback()
        assert company.stage is status
        assert audit_rows() == []


@pytest.mark.parametrize(
    ("service", "text", "field"),
    [
        (services.return_application, "", "comment"),
        (services.return_application, "  \n ", "comment"),
        (services.reject_application, "", "reason"),
        (services.reject_application, "\t", "reason"),
    ],
)
def test_decision_needs_a_comment(company_a, reviewer, service, text, field):
    with pytest.raises(
        DomainError, match="Say what the company should change|Give the reason for rejecting"
    ) as excinfo:
        service(company_a, reviewer, text)
    assert [f for f, _ in excinfo.value.errors] == [field]
    db.session.rollback()
    assert company_a.status is ApplicationStatus.SUBMITTED
    assert audit_rows() == []


@pytest.mark.parametrize("decision", DECISIONS)
def test_representative_outside_the_countries_is_refused(company_a, rep_fr, decision):
    with pytest.raises(DomainError, match="may see the company"):
        decide(decision, company_a, rep_fr)
    db.session.rollback()
    assert company_a.status is ApplicationStatus.SUBMITTED
    assert audit_rows() == []


def test_representative_for_any_of_the_countries_may_decide(company_a):
    rep_kh = staff(Role.REPRESENTATIVE, ("FR", "KH"))
    services.return_application(company_a, rep_kh, "Add your policy.")
    assert company_a.status is ApplicationStatus.RETURNED


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_representatives_never_approve_or_reject(company_a, rep_th, decision):
    with pytest.raises(DomainError, match="Only ECPAT staff may take this decision"):
        decide(decision, company_a, rep_th)
    db.session.rollback()
    assert company_a.status is ApplicationStatus.SUBMITTED
    assert audit_rows() == []


@pytest.mark.parametrize("decision", DECISIONS)
def test_company_user_cannot_decide(company_a, owner_a, decision):
    with pytest.raises(DomainError, match="Only staff who may see the company may do this"):
        decide(decision, company_a, owner_a)
    db.session.rollback()
    assert company_a.status is ApplicationStatus.SUBMITTED


# concurrent decisions


@pytest.mark.parametrize(
    ("first", "second"),
    [("approve", "reject"), ("reject", "approve"), ("return", "approve"), ("approve", "approve")],
)
def test_concurrent_decisions_only_one_wins(app, company_a, reviewer, admin, first, second):
    # Both reviewers open the application while it is waiting.
    company = db.session.get(Company, company_a.id)
    assert company.status is ApplicationStatus.SUBMITTED

    # The other reviewer decides in a request of their own (its own session) and commits.
    with app.app_context():
        other_company = db.session.get(Company, company_a.id)
        decide(first, other_company, db.session.get(User, admin.id))
        db.session.commit()

    # Our stale copy still says "submitted", but the version check refuses our write.
    assert company.status is ApplicationStatus.SUBMITTED
    with pytest.raises(StaleDataError, match="on table 'companies' expected to update 1 row"):
        decide(second, company, reviewer)
    db.session.rollback()

    db.session.refresh(company)
    assert company.status is DECISIONS[first][2]
    [entry] = audit_rows()
    assert entry.actor_id == admin.id
    assert entry.action == DECISIONS[first][3]


def test_concurrent_decisions_in_a_plain_second_session(company_a, reviewer):
    """The same with a bare Session: its committed change makes our flush fail."""
    from sqlalchemy.orm import Session

    company = db.session.get(Company, company_a.id)
    with Session(db.engine) as other:
        other.get(Company, company_a.id).status = ApplicationStatus.REJECTED
        other.commit()
    with pytest.raises(StaleDataError, match="on table 'companies' expected to update 1 row"):
        services.approve_application(company, reviewer)
    db.session.rollback()
    db.session.refresh(company)
    assert company.status is ApplicationStatus.REJECTED
    assert audit_rows() == []


# list_companies


@pytest.fixture()
def companies():
    now = datetime.now(UTC)
    return {
        "thai": CompanyFactory(
            display_name="Siam Tours",
            legal_name="Siam Holdings Co",
            countries=("TH",),
            submitted_at=now - timedelta(days=3),
        ),
        "mixed": CompanyFactory(
            display_name="Mekong Trips",
            countries=("KH", "TH"),
            submitted_at=now - timedelta(days=2),
        ),
        "french": CompanyFactory(
            display_name="Paris Hotels",
            countries=("FR",),
            status=ApplicationStatus.APPROVED,
            submitted_at=now - timedelta(days=1),
        ),
        "cambodian": CompanyFactory(
            display_name="Angkor Travel",
            countries=("KH",),
            status=ApplicationStatus.RETURNED,
            submitted_at=now,
        ),
    }


def listed(staff_user: User, **filters) -> list[str]:
    query = services.list_companies(staff_user, **filters)
    return [company.display_name for company in db.session.scalars(query)]


@pytest.mark.parametrize("staff_fixture", ["reviewer", "admin"])
def test_reviewers_see_every_company_oldest_first(request, companies, staff_fixture):
    assert listed(request.getfixturevalue(staff_fixture)) == [
        "Siam Tours",
        "Mekong Trips",
        "Paris Hotels",
        "Angkor Travel",
    ]


@pytest.mark.parametrize(
    ("countries", "expected"),
    [
        (("TH",), ["Siam Tours", "Mekong Trips"]),
        (("KH",), ["Mekong Trips", "Angkor Travel"]),
        (("FR",), ["Paris Hotels"]),
        (("FR", "TH"), ["Siam Tours", "Mekong Trips", "Paris Hotels"]),
        (("DE",), []),
    ],
)
def test_representatives_see_companies_operating_in_their_countries(companies, countries, expected):
    assert listed(staff(Role.REPRESENTATIVE, countries)) == expected


def test_representative_scoping_is_not_widened_by_filters(companies, rep_th):
    assert listed(rep_th, country="FR") == []
    assert listed(rep_th, name="paris") == []
    assert listed(rep_th, status="approved") == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": "submitted"}, ["Siam Tours", "Mekong Trips"]),
        ({"status": "returned"}, ["Angkor Travel"]),
        ({"status": "active"}, []),
        ({"status": ""}, ["Siam Tours", "Mekong Trips", "Paris Hotels", "Angkor Travel"]),
        ({"country": "KH"}, ["Mekong Trips", "Angkor Travel"]),
        ({"country": "TH", "status": "submitted"}, ["Siam Tours", "Mekong Trips"]),
        ({"name": "TOURS"}, ["Siam Tours"]),
        ({"name": " holdings "}, ["Siam Tours"]),  # the legal name matches too
        ({"name": "o", "country": "KH"}, ["Mekong Trips", "Angkor Travel"]),
        ({"name": "nothing like it"}, []),
    ],
)
def test_list_filters(companies, reviewer, filters, expected):
    assert listed(reviewer, **filters) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("%", ["50% Tours"]),
        ("50%", ["50% Tours"]),
        ("_", ["Best_Price Trips"]),
        ("t_p", ["Best_Price Trips"]),
        ("/", ["Either/Or Travel"]),  # the escape character itself is a letter too
        ("%%", []),
    ],
)
def test_name_filter_takes_wildcard_characters_literally(reviewer, name, expected):
    for display_name in (
        "50% Tours",
        "500 Tours",
        "Best_Price Trips",
        "Best Price Trips",
        "Either/Or Travel",
    ):
        CompanyFactory(display_name=display_name, legal_name=f"{display_name} Ltd")
    assert listed(reviewer, name=name) == expected


def test_rep_sees_company_once_despite_several_operations(rep_th):
    CompanyFactory(display_name="Many", countries=("TH", "TH", "TH"))
    assert listed(rep_th) == ["Many"]
    assert listed(rep_th, country="TH") == ["Many"]


def test_company_users_see_nothing(companies, owner_a):
    # Views check the role first; the service still must not list every company to a non-staff.
    assert listed(owner_a) == []
    assert listed(UserFactory(), status="submitted") == []
