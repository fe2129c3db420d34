"""The owner's publication settings: the service, the page, and the audit trail."""

import pytest
from sqlalchemy import select

from tests.factories import CompanyFactory, UserFactory, owner_of
from tracker.audit import AuditEntry
from tracker.companies.enums import Stage
from tracker.companies.publication_choices import PublicationChoices, choose_publication
from tracker.domain import DomainError
from tracker.extensions import db

PRIVATE = PublicationChoices(publish_properties=False, publish_legal_name=False)


def entries() -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.action == "company.publication_choices_changed")
    return list(db.session.scalars(query))


@pytest.fixture
def member_and_owner():
    company = CompanyFactory(stage=Stage.ACTIVE, display_name="Lotus Hotels")
    return company, owner_of(company, email="owner@lotus.example")


def test_companies_list_everything_by_default(member_and_owner):
    company, _owner = member_and_owner
    db.session.commit()
    assert (company.publish_properties, company.publish_legal_name) == (True, True)


def test_a_change_is_saved_and_audited_with_what_changed(member_and_owner):
    company, owner = member_and_owner
    choices = PublicationChoices(publish_properties=True, publish_legal_name=False)
    assert choose_publication(company, owner, choices) is True
    assert (company.publish_properties, company.publish_legal_name) == (True, False)
    [entry] = entries()
    assert entry.actor_id == owner.id and entry.company_id == company.id
    assert entry.details == {"changes": {"publish_legal_name": {"from": True, "to": False}}}
    assert choose_publication(company, owner, choices) is False  # nothing changed: no entry
    assert len(entries()) == 1


@pytest.mark.parametrize("who", ["colleague", "other_owner", "reviewer_like"])
def test_only_the_owner_chooses(member_and_owner, who):
    company, _owner = member_and_owner
    user = {
        "colleague": lambda: UserFactory(company=company),
        "other_owner": lambda: owner_of(CompanyFactory(stage=Stage.ACTIVE)),
        "reviewer_like": lambda: UserFactory(),
    }[who]()
    with pytest.raises(DomainError, match="Only the company's owner"):
        choose_publication(company, user, PRIVATE)
    assert company.publish_properties is True and entries() == []


def test_a_company_that_left_keeps_its_record(member_and_owner):
    company = CompanyFactory(stage=Stage.EXPELLED)
    owner = owner_of(company)
    with pytest.raises(DomainError, match="left The Code"):
        choose_publication(company, owner, PRIVATE)


def test_the_page_shows_the_choices_and_saves_them(client, auth, member_and_owner):
    company, owner = member_and_owner
    db.session.commit()
    auth.login(owner.email)
    assert 'href="/company/publication"' in client.get("/company/").get_data(as_text=True)
    page = client.get("/company/publication")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert text.count(" checked") == 2  # both listed by default
    response = client.submit("/company/publication", {"publish_properties": "y"})
    assert response.status_code == 302 and response.headers["Location"] == "/company/"
    assert "Your choices are saved." in client.get("/company/").get_data(as_text=True)
    db.session.refresh(company)
    assert (company.publish_properties, company.publish_legal_name) == (True, False)
    assert len(entries()) == 1


def test_the_page_refuses_without_a_csrf_token(client, auth, member_and_owner):
    company, owner = member_and_owner
    db.session.commit()
    auth.login(owner.email)
    response = client.post("/company/publication", data={})
    assert response.status_code == 400
    db.session.refresh(company)
    assert company.publish_properties is True and entries() == []


def test_a_colleague_may_not_open_the_page(client, auth, member_and_owner):
    company, _owner = member_and_owner
    colleague = UserFactory(company=company, email="colleague@lotus.example")
    db.session.commit()
    auth.login(colleague.email)
    assert client.get("/company/publication").status_code == 403
    assert 'href="/company/publication"' not in client.get("/company/").get_data(as_text=True)


def test_a_choice_reaches_the_kept_public_pages_at_once(client, auth, member_and_owner):
    company, owner = member_and_owner
    company.legal_name = "Lotus Hospitality Holdings Ltd"
    db.session.commit()
    profile = f"/signatories/{company.slug}"
    assert "Lotus Hospitality Holdings Ltd" in client.get(profile).get_data(as_text=True)
    auth.login(owner.email)
    client.submit("/company/publication", {"publish_properties": "y"})
    auth.logout()
    assert "Lotus Hospitality Holdings Ltd" not in client.get(profile).get_data(as_text=True)
