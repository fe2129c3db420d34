"""The transition table, walked whole: every action from every stage by every kind of person."""

import pytest
from sqlalchemy import select

from tests.factories import CompanyFactory, UserFactory, owner_of, staff
from tracker.audit import AuditAction, AuditEntry
from tracker.auth.models import Role
from tracker.companies import lifecycle
from tracker.companies.enums import Stage
from tracker.companies.lifecycle import TRANSITIONS, Party
from tracker.companies.models import Company
from tracker.domain import DomainError
from tracker.extensions import db

# Who tries, and which parties that person counts as towards a company operating in Thailand.
PEOPLE = {
    "applicant": {Party.APPLICANT},
    "owner": {Party.OWNER, Party.COLLEAGUE},
    "colleague": {Party.COLLEAGUE},
    "other_owner": set(),
    "reviewer": {Party.STAFF},
    "admin": {Party.STAFF, Party.ADMIN},
    "rep_th": {Party.STAFF},
    "rep_fr": set(),
}


def person(kind: str, company: Company):
    return {
        "applicant": lambda: UserFactory(),
        "owner": lambda: owner_of(company),
        "colleague": lambda: UserFactory(company=company),
        "other_owner": lambda: owner_of(CompanyFactory(stage=company.stage)),
        "reviewer": lambda: staff(Role.REVIEWER),
        "admin": lambda: staff(Role.ADMIN),
        "rep_th": lambda: staff(Role.REPRESENTATIVE, ("TH",)),
        "rep_fr": lambda: staff(Role.REPRESENTATIVE, ("FR",)),
    }[kind]()


# Decisions only ECPAT staff take (tracker.auth.models.ECPAT_ONLY): representatives never may.
ECPAT_ONLY = {
    AuditAction.APPLICATION_REJECTED,
    AuditAction.APPLICATION_APPROVED,
    AuditAction.MEMBERSHIP_SUSPENDED,
    AuditAction.MEMBERSHIP_REINSTATED,
    AuditAction.MEMBERSHIP_EXPELLED,
}


# Creation (from no stage) is exercised by submit_application; here every existing stage.
MOVES = [action for action, rule in TRANSITIONS.items() if None not in rule.sources]


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("action", MOVES)
def test_transition_table(action, stage, who):
    rule = TRANSITIONS[action]
    company = CompanyFactory(stage=stage)
    actor = person(who, company)
    version = company.version
    allowed = stage in rule.sources and rule.party in PEOPLE[who]
    allowed = allowed and not (who.startswith("rep_") and action in ECPAT_ONLY)
    assert lifecycle.allowed(action, company, actor) is allowed
    if allowed:
        entry = lifecycle.transition(company, action, actor, comment="why")
        db.session.commit()
        assert company.stage is rule.target
        # What queries filter and count on follows, read back from the database.
        stored = db.session.scalar(select(Company.stored_stage).filter_by(id=company.id))
        assert stored is rule.target
        assert company.version == version + 1
        assert (entry.action, entry.actor_id, entry.company_id) == (
            action.value,
            actor.id,
            company.id,
        )
        assert (entry.from_status, entry.to_status) == (stage.value, rule.target.value)
        assert entry.details == {"comment": "why", "version": company.version}
    else:
        with pytest.raises(
            DomainError,
            match=r"^(Only .+ may (do this|take this decision)|This is not possible now \(.+\))\.$",
        ):
            lifecycle.transition(company, action, actor)
        db.session.rollback()
        assert company.stage is stage and company.version == version
        assert db.session.scalar(select(AuditEntry.id)) is None


def test_every_stage_is_reachable_and_every_target_is_a_stage():
    targets = {rule.target for rule in TRANSITIONS.values()}
    assert targets == set(Stage)


def test_signing_creates_the_membership_once_and_standing_changes_keep_its_number():
    company = CompanyFactory(stage=Stage.APPROVED)
    owner, admin = owner_of(company), staff(Role.ADMIN)
    lifecycle.transition(company, AuditAction.COMPANY_SIGNED, owner)
    number, joined = company.membership_number, company.joined_at
    assert number == f"TC-{company.id:06d}"
    lifecycle.transition(company, AuditAction.MEMBERSHIP_SUSPENDED, admin)
    lifecycle.transition(company, AuditAction.MEMBERSHIP_REINSTATED, admin)
    lifecycle.transition(company, AuditAction.MEMBERSHIP_EXPELLED, admin)
    db.session.commit()
    assert (company.membership_number, company.joined_at) == (number, joined)
    assert company.membership.standing_since >= joined
    assert not company.is_member
