"""The public data version moves only with what the public sees; company saves are limited."""

from datetime import date

import pytest

from tests.factories import CompanyFactory, UserFactory, owner_of
from tests.fixtures.rendering import renders
from tests.reports.helpers import complete_answers, member, ready_report
from tracker.companies.enums import RevenueBand, Stage
from tracker.companies.operations import Operation
from tracker.data_versions import PUBLIC, STAFF, read
from tracker.extensions import db
from tracker.membership.services import suspend_membership
from tracker.models_base import utcnow
from tracker.reports import drafting
from tracker.reports import services as report_services
from tracker.reports.models import TopMemberAward

ON = date(2026, 2, 1)


def versions() -> tuple[int, int]:
    db.session.commit()  # end the test's transaction: read what is committed now
    return read(STAFF), read(PUBLIC)


def edit_form(company, **changes) -> dict:
    values = {
        "legal_name": company.legal_name,
        "display_name": company.display_name,
        "type": company.type.value,
        "hq_country": company.hq_country,
        "website": company.website,
        "revenue_band": company.revenue_band.value,
        "contact_name": company.contact_name,
        "contact_email": company.contact_email,
        "contact_phone": company.contact_phone or "",
        "operations-0-country_code": "TH",
        "save": "1",
    }
    return values | changes


@pytest.mark.parametrize("stage", [Stage.SUBMITTED, Stage.ACTIVE])
def test_resaving_contact_details_moves_the_staff_version_only(client, auth, stage):
    """An applicant's and a member's contact details are nobody's business but staff's."""
    company = CompanyFactory(stage=stage, countries=("TH",))
    owner = owner_of(company)
    auth.login(owner.email)
    staff_before, public_before = versions()
    for name in ("Bea One", "Bea Two", "Bea Three"):
        response = client.submit("/company/edit", edit_form(company, contact_name=name))
        assert response.status_code == 302
    db.session.refresh(company)
    assert company.contact_name == "Bea Three"
    staff_after, public_after = versions()
    assert staff_after >= staff_before + 3
    assert public_after == public_before


def test_a_kept_public_page_survives_a_member_resaving_its_contact_details(app, client, auth):
    company, owner = member(display_name="Lotus Tours", countries=("TH",))
    visitor = app.test_client()
    assert visitor.get("/signatories").status_code == 200  # kept now
    auth.login(owner.email)
    saved = client.submit("/company/edit", edit_form(company, contact_phone="+66 2 123 4567"))
    assert saved.status_code == 302
    with renders(app) as rendered:
        page = visitor.get("/signatories")
    assert "Lotus Tours" in page.get_data(as_text=True)
    assert rendered == []  # answered from the page cache


def _rename(company, owner):
    company.display_name = "Lotus Journeys"


def _suspend(company, owner):
    suspend_membership(company, UserFactory(role="reviewer"), "Report overdue")


def _add_country(company, owner):
    company.operations.append(Operation(country_code="KH"))


def _change_a_property(company, owner):
    company.operations[0].city = "Chiang Mai"


def _recognise(company, owner):
    # Straight in: naming through the service needs an accepted report, itself a public change.
    db.session.add(TopMemberAward(company_id=company.id, year=2025))
    db.session.commit()


def _withdraw_a_title(company, owner):
    award = TopMemberAward(company_id=company.id, year=2025)
    db.session.add(award)
    db.session.commit()
    before = versions()
    award.withdrawn_at, award.withdrawal_reason = utcnow(), "Complaint"
    db.session.commit()
    assert versions()[1] > before[1]


def _submit_a_report(company, owner):
    report = ready_report(company, owner)
    report_services.submit_report(report, owner, report.version, ON)


def _extend(company, owner):
    report_services.grant_extension(
        company, 2025, date(2026, 6, 30), "Flooded office", UserFactory(role="reviewer"), ON
    )


@pytest.mark.parametrize(
    "change",
    [
        _rename,
        _suspend,
        _add_country,
        _change_a_property,
        _recognise,
        _withdraw_a_title,
        _submit_a_report,
        _extend,
    ],
)
def test_a_change_the_public_sees_moves_both_versions(change):
    company, owner = member(joined=date(2024, 5, 1), countries=("TH",))
    staff_before, public_before = versions()
    change(company, owner)
    staff_after, public_after = versions()
    assert public_after > public_before
    assert staff_after > staff_before


def _rename_an_applicant(company, owner):
    company.display_name = "Applicant Journeys"
    company.operations.append(Operation(country_code="KH"))


def _change_the_revenue_band(company, owner):
    company.revenue_band = RevenueBand.ABOVE_50M


def _save_a_draft_report(company, owner):
    report = drafting.start_report(company, 2025, owner, ON)
    db.session.commit()
    drafting.save_draft(report, complete_answers(report), owner, report.version)


@pytest.mark.parametrize(
    ("stage", "change"),
    [
        (Stage.SUBMITTED, _rename_an_applicant),
        (Stage.APPROVED, _rename_an_applicant),
        (Stage.ACTIVE, _change_the_revenue_band),
        (Stage.ACTIVE, _save_a_draft_report),
    ],
)
def test_a_change_nobody_sees_publicly_leaves_the_public_version(stage, change):
    if stage is Stage.ACTIVE:
        company, owner = member(joined=date(2024, 5, 1), countries=("TH",))
    else:
        company = CompanyFactory(stage=stage, countries=("TH",))
        owner = owner_of(company)
    staff_before, public_before = versions()
    change(company, owner)
    staff_after, public_after = versions()
    assert public_after == public_before
    assert staff_after > staff_before


# The per-company limit on saves ----------------------------------------------------------------


def test_a_company_saving_too_often_gets_429_with_retry_after(app, client, auth, monkeypatch):
    monkeypatch.setitem(app.config, "COMPANY_WRITE_RATE_LIMIT", "3 per minute")
    company = CompanyFactory(stage=Stage.SUBMITTED, countries=("TH",))
    owner = owner_of(company)
    auth.login(owner.email)
    for name in ("Bea One", "Bea Two", "Bea Three"):
        assert (
            client.submit("/company/edit", edit_form(company, contact_name=name)).status_code == 302
        )
    refused = client.submit("/company/edit", edit_form(company, contact_name="Bea Four"))
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    db.session.refresh(company)
    assert company.contact_name == "Bea Three"
    assert client.get("/company/edit").status_code == 200  # reading is not limited


def test_the_limit_counts_per_company_not_per_user_or_address(app, auth, monkeypatch):
    monkeypatch.setitem(app.config, "COMPANY_WRITE_RATE_LIMIT", "2 per minute")
    company = CompanyFactory(stage=Stage.SUBMITTED, countries=("TH",))
    owner, colleague = owner_of(company), UserFactory(company=company)
    other = CompanyFactory(stage=Stage.SUBMITTED, countries=("TH",))
    other_owner = owner_of(other)

    def save(user, target, name: str) -> int:
        client = app.test_client()
        type(auth)(client).login(user.email)
        return client.submit("/company/edit", edit_form(target, contact_name=name)).status_code

    assert save(owner, company, "Bea One") == 302
    assert save(colleague, company, "Bea Two") == 302
    assert save(colleague, company, "Bea Three") == 429
    assert save(other_owner, other, "Cy One") == 302
