"""A rejected company sees the reason and can start a new application."""

from sqlalchemy import select

from tests.factories import CompanyFactory, owner_of
from tracker.audit import AuditEntry
from tracker.companies.enums import ApplicationStatus
from tracker.companies.models import Company
from tracker.extensions import db
from tracker.review.services import reject_application

FORM = {
    "legal_name": "Alpha Tours Ltd",
    "display_name": "Alpha Tours",
    "type": "tour_operator",
    "hq_country": "TH",
    "revenue_band": "up_to_500k",
    "contact_name": "Ana",
    "contact_email": "ana@alpha.example",
    "operations-0-country_code": "TH",
    "save": "1",
}


def test_rejected_company_sees_the_reason_and_applies_again(client, auth, reviewer):
    company = CompanyFactory(display_name="Alpha Tours")
    owner = owner_of(company)
    reject_application(company, reviewer, "We could not verify your licence.")
    db.session.commit()
    auth.login(owner.email)

    dashboard = client.get("/company/").get_data(as_text=True)
    assert "Reason given by ECPAT" in dashboard
    assert "We could not verify your licence." in dashboard
    assert ">Start a new application</a>" in dashboard

    form_page = client.get("/company/edit").get_data(as_text=True)
    assert "<h1>Start a new application</h1>" in form_page
    assert "Why ECPAT rejected the last application" in form_page

    response = client.submit("/company/edit", FORM)
    assert (response.status_code, response.location) == (302, "/company/")
    assert db.session.get(Company, company.id).status is ApplicationStatus.SUBMITTED
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["application.rejected", "application.restarted"]
    assert "New application after a rejection" in client.get("/company/").get_data(as_text=True)
