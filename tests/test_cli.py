"""The command-line tools: create-staff and demo-data."""

import pytest
from sqlalchemy import func, select

from tracker.audit import AuditEntry
from tracker.auth.models import Role, User
from tracker.auth.services import authenticate, find_user
from tracker.companies.models import (
    ApplicationStatus,
    Company,
    CompanyType,
    Membership,
    Operation,
    Signature,
    Standing,
)
from tracker.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tracker.extensions import db

PASSWORD_INPUT = "a long staff password\na long staff password\n"


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
    company = find_user("owner@demo.thecode.example").company
    assert company.is_member
    assert company.country_codes == ["KH", "TH"]
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.company_id == company.id).order_by(AuditEntry.id)
    ).all()
    assert actions == ["application.submitted", "application.approved", "company.signed"]
