"""The whole journey through the test client: register, confirm, apply, approve, plan, sign."""

from datetime import UTC, datetime

from sqlalchemy import select

from tests.plans.helpers import form_fields
from tracker.audit import AuditEntry
from tracker.auth.services import find_user
from tracker.billing.models import Invoice
from tracker.companies.enums import ApplicationStatus
from tracker.companies.models import Company
from tracker.extensions import db
from tracker.plans import services as plan_services

APPLICATION = {
    "legal_name": "Sunrise Hotels Ltd",
    "display_name": "Sunrise Hotels",
    "type": "hotel_chain",
    "hq_country": "TH",
    "website": "https://sunrise.example",
    "revenue_band": "500k_to_2_5m",
    "contact_name": "Ana Lee",
    "contact_email": "ana@sunrise.example",
    "operations-0-country_code": "TH",
    "operations-0-property_name": "Sunrise Phuket",
    "operations-0-city": "Phuket",
    "operations-1-country_code": "KH",
    "operations-1-property_name": "Sunrise Siem Reap",
    "operations-1-city": "Siem Reap",
}
SIGNATURE = {
    "signatory_name": "Ana Lee",
    "signatory_title": "CEO",
    "authority": "y",
    "criteria_version": "2",
    **{f"criterion_{n}": "y" for n in range(1, 7)},
}


def plan_fields(**changes) -> dict:
    return form_fields(0, **changes)


def test_register_confirm_apply_approve_sign(client, auth, smtp, reviewer):
    response = client.submit(
        "/account/register",
        {
            "name": "Ana Lee",
            "email": "Ana@Sunrise.example",
            "password": "long enough pw",
            "confirm": "long enough pw",
        },
    )
    assert (response.status_code, response.location) == (302, "/account/login")

    # Signing in before confirming is allowed, but applying needs a confirmed address.
    auth.login("ana@sunrise.example", "long enough pw")
    assert client.get("/company/apply").status_code == 302
    client.get(smtp.link("ana@sunrise.example", "/account/confirm/"))
    assert find_user("ana@sunrise.example").email_confirmed

    response = client.submit("/company/apply", APPLICATION)
    assert response.status_code == 302, response.get_data(as_text=True)
    company = db.session.scalar(select(Company))
    assert company.status is ApplicationStatus.SUBMITTED
    assert company.country_codes == ["KH", "TH"]

    auth.logout()
    auth.login(reviewer.email)
    assert b"Sunrise Hotels" in client.get("/review/").data
    response = client.submit(
        f"/review/companies/{company.id}/approve",
        {"version": str(company.version), "confirmed": "yes"},
    )
    assert response.status_code == 302
    db.session.refresh(company)
    assert company.status is ApplicationStatus.APPROVED
    assert smtp.to("ana@sunrise.example")[-1]["Subject"].endswith("approved")

    # The implementation plan: written by the company, approved by ECPAT.
    auth.logout()
    auth.login("ana@sunrise.example", "long enough pw")
    assert b"/company/plan" in client.get("/company/").data
    response = client.submit("/company/plan", plan_fields(submit="1"))
    assert (response.status_code, response.location) == (302, "/company/plan")
    plan = plan_services.plan_for(company)
    assert plan.awaits_review
    auth.logout()
    auth.login(reviewer.email)
    response = client.submit(f"/review/plans/{plan.id}/approve", {"version": str(plan.version)})
    assert response.status_code == 302
    assert plan_services.plan_approved(company)
    # The joining invoice (band 500k-2.5M: EUR 300) must be paid before the owner signs.
    invoice = db.session.scalar(select(Invoice))
    number = f"TC-INV-{datetime.now(UTC).year}-00001"
    assert (invoice.number, invoice.amount, invoice.currency) == (number, 300, "EUR")
    auth.logout()
    auth.login("ana@sunrise.example", "long enough pw")
    page = client.get("/company/sign").get_data(as_text=True)
    assert "Sign once the invoice is paid" in page and number in page
    assert client.submit("/company/sign", SIGNATURE).status_code == 200
    db.session.refresh(company)
    assert not company.has_membership

    auth.logout()
    auth.login(reviewer.email)
    payment = {"paid_on": "2026-12-01", "method": "bank_transfer", "reference": "SWIFT 123"}
    response = client.submit(f"/review/invoices/{invoice.id}/pay", {**payment, "version": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)

    auth.logout()
    auth.login("ana@sunrise.example", "long enough pw")
    response = client.submit("/company/sign", SIGNATURE)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(company)
    assert company.is_member
    assert company.membership_number == f"TC-{company.id:06d}"
    assert company.signatures[0].criteria_version == "2"
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-7:] == [
        "application.submitted",
        "application.approved",
        "plan.submitted",
        "plan.approved",
        "invoice.issued",
        "invoice.paid",
        "company.signed",
    ]
    assert b"Member" in client.get("/company/").data
