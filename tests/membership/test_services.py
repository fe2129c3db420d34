"""Suspend, reinstate, expel and withdraw: the reasons they need and what they record."""

import pytest
from sqlalchemy import select

from tests.factories import CompanyFactory, UserFactory, owner_of, staff
from tracker.audit import AuditEntry
from tracker.auth.models import Role
from tracker.companies import queries
from tracker.companies.enums import Stage
from tracker.companies.models import Company
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.membership import services


@pytest.fixture()
def member():
    return CompanyFactory(display_name="Lotus Hotels", stage=Stage.ACTIVE, countries=("TH",))


def entries() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def listed() -> list[str]:
    return list(
        db.session.scalars(queries.publicly_listed().with_only_columns(Company.display_name))
    )


@pytest.mark.parametrize(
    ("service", "who", "field"),
    [
        (services.suspend_membership, Role.REVIEWER, "reason"),
        (services.expel_membership, Role.ADMIN, "reason"),
        (services.withdraw_membership, None, "reason"),
    ],
)
@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_a_reason_is_required(member, service, who, field, reason):
    actor = staff(who) if who else owner_of(member)
    with pytest.raises(
        DomainError,
        match="Give the reason for (suspending|expelling)|Tell ECPAT why the company withdraws",
    ) as caught:
        service(member, actor, reason)
    assert [name for name, _ in caught.value.errors] == [field]
    assert member.stage is Stage.ACTIVE and entries() == []


def test_suspension_records_the_reason_and_unlists_the_member(member):
    reviewer = staff(Role.REVIEWER)
    assert listed() == ["Lotus Hotels"]
    services.suspend_membership(member, reviewer, "  Report two years overdue. ")
    db.session.commit()
    assert member.stage is Stage.SUSPENDED and not member.is_member
    assert member.membership_number is not None
    assert listed() == []
    [entry] = entries()
    assert (entry.action, entry.actor_id, entry.comment) == (
        "membership.suspended",
        reviewer.id,
        "Report two years overdue.",
    )
    assert (entry.from_status, entry.to_status) == ("active", "suspended")


def test_reinstatement_lists_the_member_again_with_an_optional_note(member):
    reviewer = staff(Role.REVIEWER)
    services.suspend_membership(member, reviewer, "Overdue.")
    services.reinstate_membership(member, reviewer)
    db.session.commit()
    assert member.is_member and listed() == ["Lotus Hotels"]
    assert entries()[-1].comment is None


def test_representatives_never_sanction_ecpat_does(member):
    with pytest.raises(DomainError, match="may see the company"):
        services.suspend_membership(member, staff(Role.REPRESENTATIVE, ("FR",)), "Overdue.")
    with pytest.raises(DomainError, match="Only ECPAT staff may take this decision"):
        services.suspend_membership(member, staff(Role.REPRESENTATIVE, ("TH",)), "Overdue.")
    services.suspend_membership(member, staff(Role.REVIEWER), "Overdue.")
    assert member.stage is Stage.SUSPENDED


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.REPRESENTATIVE])
def test_only_administrators_expel(member, role):
    with pytest.raises(DomainError, match="administrator"):
        services.expel_membership(member, staff(role, ("TH",)), "Exploitation found.")
    services.expel_membership(member, staff(Role.ADMIN), "Exploitation found.")
    assert member.stage is Stage.EXPELLED


def test_only_the_owner_withdraws(member):
    with pytest.raises(DomainError, match="owner"):
        services.withdraw_membership(member, UserFactory(company=member), "Sold.")
    owner = owner_of(member)
    services.withdraw_membership(member, owner, "Sold the hotel.")
    db.session.commit()
    assert member.stage is Stage.WITHDRAWN and not member.may_edit
    assert entries()[-1].comment == "Sold the hotel."


def test_a_suspended_member_may_withdraw_but_not_be_suspended_again(member):
    services.suspend_membership(member, staff(Role.REVIEWER), "Overdue.")
    with pytest.raises(DomainError, match="not possible now"):
        services.suspend_membership(member, staff(Role.REVIEWER), "Again.")
    services.withdraw_membership(member, owner_of(member), "We stop.")
    assert member.stage is Stage.WITHDRAWN
