"""Every page is valid HTML, checked by the Nu Html Checker (vnu.jar) in one run.

The checker comes from npm (`npm install --prefix .tools vnu-jar`, done by .ci/run) and needs
Java. Without it these tests skip, unless REQUIRE_BROWSER=1 (CI) makes the page checks required.
"""

import io
import json
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select

from tests.factories import PASSWORD, CompanyFactory, joining_invoice, owner_of, representative
from tests.plans.helpers import complete_input as complete_plan
from tests.reports.helpers import accepted_report, ready_report, top_member
from tests.reports.helpers import member as report_member
from tests.reports.pdfs import pdf_bytes
from tracker import audit
from tracker.auth.models import Invitation
from tracker.billing import services as billing
from tracker.billing.models import Discount, DiscountKind, Invoice, InvoiceState
from tracker.companies.applications import ChangeRequest, ChangeRequestStatus
from tracker.companies.enums import ApplicationStatus, CompanyType, Stage
from tracker.companies.models import Company
from tracker.companies.operations import Operation
from tracker.extensions import db
from tracker.plans import services as plan_services
from tracker.plans.models import Plan, PlanState
from tracker.reports import services as report_services
from tracker.reports.models import Section

VNU_JAR = Path(
    os.environ.get(
        "VNU_JAR", Path(__file__).parent.parent / ".tools/node_modules/vnu-jar/build/dist/vnu.jar"
    )
)


def checker_missing() -> str | None:
    if not VNU_JAR.is_file():
        return f"vnu.jar not found at {VNU_JAR} (npm install --prefix .tools vnu-jar)"
    if shutil.which("java") is None:
        return "java is not installed"
    return None


@pytest.fixture()
def vnu():
    reason = checker_missing()
    if reason and os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    if reason:
        pytest.skip(reason)

    def check(pages: dict[str, str], folder: Path) -> list[str]:
        files = []
        for name, html in pages.items():
            path = folder / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            files.append(str(path))
        result = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        messages = json.loads(result.stderr or '{"messages": []}')["messages"]
        return [
            f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages
        ]

    return check


def fetch(client, url: str, data: dict | None = None) -> str:
    response = client.submit(url, data) if data is not None else client.get(url)
    assert response.status_code in (200, 400, 404), (url, response.status_code)
    return response.get_data(as_text=True)


# A member matched with its country, one not found, one refused, then a former member.
# The twins: two members of one name, listed under "Check these".
CHECKED_LIST = "Checked Tours Co. Ltd, Thailand, TC-000777\nNobody Known\n=1+1\nTwin Tours\n"


def overdue_member() -> Company:
    """A member whose invoice for this membership year is past its due date."""
    company = CompanyFactory(stage=Stage.ACTIVE, paid__none=True)
    joining_invoice(company, paid=False, due_on=billing.today() - timedelta(days=1))
    return company


def test_public_and_account_pages_are_valid(client, vnu, tmp_path):
    CompanyFactory(display_name="Checked Tours", stage=Stage.ACTIVE, membership_number="TC-000777")
    for country in ("GB", "IE"):
        CompanyFactory(display_name="Twin Tours", stage=Stage.ACTIVE, countries=(country,))
    gone = CompanyFactory(stage=Stage.SUSPENDED)
    # The home page's country links; a profile.
    listed = CompanyFactory(stage=Stage.ACTIVE, countries=("TH", "KH"))
    pages = {
        "verify": fetch(client, "/verify"),
        "verify_errors": fetch(client, "/verify?number=nonsense"),
        "verify_unknown": fetch(client, "/verify/TC-999999"),
        "verify_suspended": fetch(client, f"/verify/{gone.membership_number}"),
        "verify_fee_unpaid": fetch(client, f"/verify/{overdue_member().membership_number}"),
        "check": fetch(client, "/check"),
        "check_results": fetch(client, "/check", {"suppliers": CHECKED_LIST + gone.display_name}),
        "check_errors": fetch(client, "/check", {"suppliers": "Bad\x00line"}),
        "signatories": fetch(client, "/signatories"),
        "signatories_searched": fetch(client, "/signatories?q=checked&type=tour_operator"),
        "signatories_errors": fetch(client, "/signatories?country=ZZ&page=0&q=%00"),
        "profile": fetch(client, f"/signatories/{listed.slug}"),
        "profile_not_listed": fetch(client, f"/signatories/{gone.slug}"),
        "home": fetch(client, "/"),
        "register": fetch(client, "/account/register"),
        "register_errors": fetch(client, "/account/register", {"email": "bad"}),
        "login": fetch(client, "/account/login"),
        "login_errors": fetch(
            client, "/account/login", {"email": "a@example.com", "password": "x"}
        ),
        "reset": fetch(client, "/account/reset"),
        "not_found": fetch(client, "/no-such-page"),
        "about": fetch(client, "/about"),
        "privacy": fetch(client, "/privacy"),
        "contact": fetch(client, "/contact"),
        "home_fr": client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True),
    }
    assert "2 companies have this name: check which one" in pages["check_results"]
    assert vnu(pages, tmp_path) == []


def test_company_pages_are_valid(client, auth, applicant, vnu, tmp_path):
    auth.login(applicant.email)
    pages = {
        "start": fetch(client, "/company/"),
        "apply": fetch(client, "/company/apply"),
        "apply_errors": fetch(client, "/company/apply", {"legal_name": "x" * 300}),
        "apply_two_rows": fetch(client, "/company/apply", {"add_operation": "1"}),
        "apply_draft_refused": fetch(
            client, "/company/apply", {"contact_email": "ana at", "save_draft": "1"}
        ),
        "apply_draft_saved": fetch(
            client, "/company/apply", {"legal_name": "Sunrise", "save_draft": "1"}
        ),
        "apply_from_draft": fetch(client, "/company/apply"),
    }
    approved = CompanyFactory(stage=Stage.APPROVED, countries=("TH", "KH"))
    owner = owner_of(approved, email="owner.valid@example.com")
    db.session.add(Invitation(company=approved, email="new@example.com", invited_by=owner))
    db.session.commit()
    auth.logout()
    auth.login(owner.email)
    pages |= {
        "dashboard": fetch(client, "/company/"),
        "edit": fetch(client, "/company/edit"),
        "sign": fetch(client, "/company/sign"),
        "sign_errors": fetch(client, "/company/sign", {"signatory_name": ""}),
        "colleagues": fetch(client, "/company/colleagues"),
        "password": fetch(client, "/account/password"),
    }
    pages |= chain_pages(client, auth)
    assert vnu(pages, tmp_path) == []


def chain_pages(client, auth) -> dict[str, str]:
    """The pages of a hotel chain with more properties than the edit form lists."""
    chain = CompanyFactory(type=CompanyType.HOTEL_CHAIN)
    chain.operations = [
        Operation(country_code="TH", property_name=f"Lotus {n}", city="Bangkok") for n in range(60)
    ]
    db.session.commit()
    auth.logout()
    auth.login(owner_of(chain, email="owner.chain@example.com").email)
    refused = client.submit("/company/properties", {"country_code": "TH", "city": "Krabi"})
    assert refused.status_code == 400
    return {
        "chain_dashboard": fetch(client, "/company/"),
        "chain_edit": fetch(client, "/company/edit"),
        "properties": fetch(client, "/company/properties"),
        "properties_page_2": fetch(client, "/company/properties?page=2&added=55"),
        "properties_errors": refused.get_data(as_text=True),
        "import": fetch(client, "/company/properties/import"),
        "import_problems": fetch(
            client, "/company/properties/import", {"rows": "Atlantis,A,B\nTH,,C", "mode": "append"}
        ),
        "import_ready": fetch(
            client, "/company/properties/import", {"rows": "KH,Lotus Kep,Kep", "mode": "replace"}
        ),
    }


def test_review_pages_are_valid(
    client, auth, reviewer, admin, rep_th, company_a, owner_a, vnu, tmp_path
):
    audit.record("application.submitted", actor=owner_a, company=company_a, to_status="submitted")
    db.session.commit()  # a history entry, so the page shows one
    auth.login(reviewer.email)
    pages = {
        "queue": fetch(client, "/review/"),
        "queue_filtered": fetch(client, "/review/?status=&country=TH&q=alpha"),
        "detail": fetch(client, f"/review/companies/{company_a.id}"),
        "detail_errors": fetch(client, f"/review/companies/{company_a.id}/return", {"comment": ""}),
        "reject_errors": fetch(client, f"/review/companies/{company_a.id}/reject", {"reason": ""}),
        "assign_errors": fetch(
            client, f"/review/companies/{company_a.id}/representative", {"representative": "0"}
        ),
    }
    auth.logout()
    auth.login(rep_th.email)
    pages["recommend_errors"] = fetch(
        client, f"/review/companies/{company_a.id}/recommend", {"comment": ""}
    )
    auth.logout()
    auth.login(admin.email)
    pages["staff"] = fetch(client, "/review/staff")
    late = overdue_member()
    pages["detail_payment_overdue"] = fetch(client, f"/review/companies/{late.id}")
    pages["queue_payment_overdue"] = fetch(client, "/review/?status=active")
    member = CompanyFactory(stage=Stage.SUSPENDED, countries=("TH",))
    member_owner = owner_of(member, email="owner.member@example.com")
    db.session.add(
        ChangeRequest(
            company=member,
            requested_by_id=member_owner.id,
            status=ChangeRequestStatus.PENDING,
            proposed={"display_name": "Renamed", "operations": [["LA", "", ""]]},
        )
    )
    db.session.commit()
    pages["member_detail"] = fetch(client, f"/review/companies/{member.id}")
    pages["expel_errors"] = fetch(
        client, f"/review/companies/{member.id}/expel", {"expel_reason": ""}
    )
    pages["reinstate_errors"] = fetch(
        client, f"/review/companies/{member.id}/reinstate", {"reinstate_note": "x" * 4001}
    )
    auth.logout()
    auth.login(member_owner.email)
    pages["member_dashboard"] = fetch(client, "/company/")
    pages["member_edit"] = fetch(client, "/company/edit")
    pages["withdraw"] = fetch(client, "/company/withdraw")
    pages["withdraw_confirm"] = fetch(client, "/company/withdraw", {"reason": "Sold.\nBye."})
    pages["no_certificate"] = client.get("/company/certificate").get_data(as_text=True)  # 403
    auth.logout()
    auth.login(owner_of(late, email="owner.late@example.com").email)
    pages["fee_unpaid_dashboard"] = fetch(client, "/company/")
    pages["no_certificate_fee"] = client.get("/company/certificate").get_data(as_text=True)
    assert vnu(pages, tmp_path) == []


def test_report_pages_are_valid(client, auth, reviewer, vnu, tmp_path):
    company, owner = report_member(countries=("TH", "KH"))
    report = ready_report(company, owner)
    auth.login(owner.email)
    pages = {
        "reports": fetch(client, "/company/reports/"),
        "report_form": fetch(client, "/company/reports/2025"),
        "report_errors": fetch(
            client, "/company/reports/2025", {"version": str(report.version), "cases_reported": "x"}
        ),
        # "Not applicable" ticked without its reason: the error beside the reason.
        "report_na_errors": fetch(
            client, "/company/reports/2025", {"version": str(report.version), "training_na": "y"}
        ),
        # A PDF sent with a mistake: kept, with the box to drop it.
        "report_kept_file": fetch(
            client,
            "/company/reports/2025",
            {
                "version": str(report.version),
                "cases_reported": "x",
                "policy_document": (io.BytesIO(pdf_bytes()), "policy.pdf"),
            },
        ),
        "report_evidence_kept": fetch(
            client,
            "/company/reports/2025/evidence",
            {"section": "", "file": (io.BytesIO(pdf_bytes()), "certificate.pdf")},
        ),
        "report_preview": fetch(client, "/company/reports/2025/preview"),
        "report_print": fetch(client, "/company/reports/2025/print"),
        "training_import": fetch(client, "/company/reports/2025/training/import"),
        "certificate": fetch(client, "/company/certificate"),
        "report_questions": fetch(client, "/company/reports/questions"),
        "dashboard_next_report": fetch(client, "/company/"),
    }
    report_services.submit_report(report, owner, report.version, report_services.today())
    report_services.return_report(
        report, reviewer, {Section.TRAINING: "More\nplease."}, "Nearly.", report.version
    )
    db.session.commit()
    pages["report_returned"] = fetch(client, "/company/reports/2025")
    pages["dashboard_report_returned"] = fetch(client, "/company/")
    auth.logout()
    auth.login(reviewer.email)
    pages |= {
        "report_queue": fetch(client, "/review/reports/?state="),
        "report_review": fetch(client, f"/review/reports/{report.id}"),
        "report_return_errors": fetch(
            client, f"/review/reports/{report.id}/return", {"version": str(report.version)}
        ),
        "dashboard": fetch(client, "/review/reports/dashboard"),
        "implementation_rules": fetch(client, "/review/reports/implementation"),
        "company_reporting": fetch(client, f"/review/companies/{company.id}"),
        "extension_errors": fetch(
            client,
            f"/review/reports/companies/{company.id}/extension",
            {"year": "2025", "due_on": "2020-01-01", "reason": "x"},
        ),
    }
    assert vnu(pages, tmp_path) == []


def test_dashboard_with_fees_plans_and_criteria_is_valid(client, auth, reviewer, vnu, tmp_path):
    """The dashboard with every block: invoices (one unpaid past due), a plan waiting for
    review, and an accepted report for the criteria implemented."""
    company, owner = report_member(countries=("TH",))
    accepted_report(company, owner, reviewer)
    late, _ = report_member(countries=("FR",))
    invoice = db.session.scalar(select(Invoice).where(Invoice.company == late))
    invoice.state, invoice.paid_on, invoice.payment_method = InvoiceState.ISSUED, None, None
    invoice.due_on = datetime(2020, 1, 31, tzinfo=UTC).date()
    db.session.add(Plan(company=late, year=2026, state=PlanState.SUBMITTED))
    db.session.commit()
    auth.login(reviewer.email)
    page = fetch(client, "/review/reports/dashboard")
    assert 'id="criteria-heading"' in page and 'id="fees-heading"' in page
    assert vnu({"dashboard_figures": page}, tmp_path) == []


def test_top_member_pages_are_valid(client, auth, reviewer, vnu, tmp_path):
    named, owner = report_member(countries=("TH",))
    top_member(named, owner, reviewer)
    other, owner = report_member(countries=("KH",))
    accepted_report(other, owner, reviewer)
    auth.login(reviewer.email)
    pages = {
        "top_members": fetch(client, "/review/top-members/?year=2025"),
        "top_member_errors": fetch(
            client, f"/review/top-members/2025/{named.id}/withdraw", {f"c{named.id}-reason": ""}
        ),
        "company_titles": fetch(client, f"/review/companies/{named.id}"),
        "profile_title": fetch(client, f"/signatories/{named.slug}"),
        "verify_title": fetch(client, f"/verify/{named.membership_number}"),
    }
    assert vnu(pages, tmp_path) == []


def test_country_pages_are_valid(app, client, reviewer, vnu, tmp_path, monkeypatch):
    pages = {"countries_empty": fetch(client, "/countries")}
    company, owner = report_member(display_name="Lotus & Sons", countries=("TH", "KH"))
    report = ready_report(company, owner)
    report_services.submit_report(report, owner, report.version, report_services.today())
    report_services.accept_report(report, reviewer, "", report.version)
    CompanyFactory(
        display_name="Orchid Hotels",
        type=CompanyType.HOTEL_CHAIN,
        stage=Stage.ACTIVE,
        operations=[
            Operation(country_code="TH", property_name=f"Orchid {n} <b>", city="Chiang Mai")
            for n in range(8)
        ],
    )
    contacts = tmp_path / "contacts.json"
    contacts.write_text(
        '{"TH": [{"name": "Checked & Co", "phone": "+66 2 000 0000", '
        '"url": "https://hotline.example/?a=1&b=2", "email": "help@hotline.example", '
        '"note": "Every day"}]}',
        encoding="utf-8",
    )
    monkeypatch.setitem(app.config, "CONCERN_CONTACTS_FILE", str(contacts))
    pages |= {
        "countries": fetch(client, "/countries"),
        "countries_fr": client.get("/countries", headers={"Accept-Language": "fr"}).get_data(
            as_text=True
        ),
        "country": fetch(client, "/countries/TH"),
        "country_filtered": fetch(client, "/countries/TH?type=tour_operator&city=Chiang+Mai"),
        "country_errors": fetch(client, "/countries/TH?page=abc%00&type=<b>&city=x&per_page=7"),
        "country_past_the_end": fetch(client, "/countries/TH?page=9"),
        "country_without_members": fetch(client, "/countries/BT"),
    }
    assert vnu(pages, tmp_path) == []


def test_two_factor_pages_are_valid(client, auth, owner_a, vnu, tmp_path):
    auth.login(owner_a.email)
    pages = {
        "two_factor_off": fetch(client, "/account/two-factor/settings"),
        "two_factor_setup": fetch(client, "/account/two-factor/setup"),
        "two_factor_setup_errors": fetch(client, "/account/two-factor/setup", {"code": "1"}),
    }
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', pages["two_factor_setup"]).group(1)
    pages["two_factor_codes"] = fetch(
        client,
        "/account/two-factor/setup",
        {"code": pyotp.TOTP(secret).now(), "current_password": PASSWORD},
    )
    pages["two_factor_on"] = fetch(client, "/account/two-factor/settings")
    auth.logout()
    auth.login(owner_a.email, second_factor=False)
    pages["two_factor_verify"] = fetch(client, "/account/two-factor/")
    pages["two_factor_verify_errors"] = fetch(client, "/account/two-factor/", {"code": "1"})
    assert vnu(pages, tmp_path) == []


def test_plan_pages_are_valid(client, auth, reviewer, rep_th, vnu, tmp_path):
    approved = CompanyFactory(stage=Stage.APPROVED, countries=("TH",))
    owner = owner_of(approved, email="owner.plan@example.com")
    db.session.commit()
    auth.login(owner.email)
    pages = {
        "plan_dashboard": fetch(client, "/company/"),
        "plan_empty": fetch(client, "/company/plan"),
        "plan_errors": fetch(
            client, "/company/plan", {"version": "0", "staff_to_train": "x", "submit": "1"}
        ),
    }
    plan = plan_services.start_plan(approved, owner)
    plan_services.save_draft(plan, complete_plan(), owner, plan.version)
    plan_services.submit_plan(plan, owner, plan.version)
    plan_services.return_plan(
        plan, reviewer, {"training": "Count guides."}, "Nearly.", plan.version
    )
    db.session.commit()
    pages["plan_returned"] = fetch(client, "/company/plan")
    pages["dashboard_plan_returned"] = fetch(client, "/company/")
    plan_services.submit_plan(plan, owner, plan.version)
    db.session.commit()
    pages["plan_submitted"] = fetch(client, "/company/plan")
    auth.logout()
    auth.login(reviewer.email)
    pages |= {
        "plan_queue": fetch(client, "/review/plans/"),
        "plan_queue_all": fetch(client, "/review/plans/?state=all"),
        "plan_detail": fetch(client, f"/review/plans/{plan.id}"),
        "plan_version_1": fetch(client, f"/review/plans/{plan.id}?version=1"),
        "plan_return_errors": fetch(
            client, f"/review/plans/{plan.id}/return", {"version": str(plan.version)}
        ),
        "plan_approve_errors": fetch(
            client, f"/review/plans/{plan.id}/approve", {"approve_comment": "x" * 4001}
        ),
    }
    auth.logout()
    auth.login(rep_th.email)
    pages["plan_detail_rep"] = fetch(client, f"/review/plans/{plan.id}")
    assert vnu(pages, tmp_path) == []


def test_publication_and_new_criteria_pages_are_valid(
    app, client, auth, vnu, tmp_path, monkeypatch
):
    from tests.companies.test_criteria_versions import signed

    company, owner = report_member(display_name="Lotus Tours", countries=("TH",))
    signed(company, owner)
    monkeypatch.setitem(app.config, "CRITERIA_VERSION", "2")
    contacts = tmp_path / "contacts.json"
    contacts.write_text(
        json.dumps({"TH": [{"kind": "police", "name": "Tourist Police", "phone": "1155"}]}),
        encoding="utf-8",
    )
    monkeypatch.setitem(app.config, "CONCERN_CONTACTS_FILE", str(contacts))
    pages = {
        "profile_signed": fetch(client, f"/signatories/{company.slug}"),
        "country_concern": fetch(client, "/countries/TH"),
    }
    auth.login(owner.email)
    pages |= {
        "dashboard_sign_again": fetch(client, "/company/"),
        "sign_again": fetch(client, "/company/sign"),
        "sign_again_errors": fetch(client, "/company/sign", {"signatory_name": ""}),
        "publication": fetch(client, "/company/publication"),
    }
    assert vnu(pages, tmp_path) == []


def test_billing_pages_are_valid(client, auth, reviewer, admin, vnu, tmp_path):
    company = CompanyFactory(status=ApplicationStatus.APPROVED, paid=False, countries=("TH",))
    invoice = db.session.scalars(select(Invoice)).one()
    auth.login(owner_of(company, email="owner.billing@example.com").email)
    pages = {
        "invoices": fetch(client, "/company/invoices/"),
        "invoice": fetch(client, f"/company/invoices/{invoice.number}"),
        "sign_gate": fetch(client, "/company/sign"),
        "dashboard_unpaid": fetch(client, "/company/"),
    }
    auth.logout()
    db.session.add(Discount(name="PATA", kind=DiscountKind.AMOUNT, value=10, reason="Partner"))
    db.session.commit()  # so the staff page offers to apply it
    auth.login(reviewer.email)
    pages["staff_invoices"] = fetch(client, "/review/invoices")
    pages["staff_invoice"] = fetch(client, f"/review/invoices/{invoice.id}")
    pages["pay_errors"] = fetch(
        client, f"/review/invoices/{invoice.id}/pay", {"paid_on": "", "version": "1"}
    )
    pages["company_with_invoice"] = fetch(client, f"/review/companies/{company.id}")
    pages["cancel_errors"] = fetch(
        client, f"/review/invoices/{invoice.id}/cancel", {"reason": "", "version": "1"}
    )
    cancelled = {"reason": "Wrong band", "version": "1"}
    assert client.submit(f"/review/invoices/{invoice.id}/cancel", cancelled).status_code == 302
    pages["staff_invoice_cancelled"] = fetch(client, f"/review/invoices/{invoice.id}")
    auth.logout()
    auth.login("owner.billing@example.com")
    pages["invoice_cancelled"] = fetch(client, f"/company/invoices/{invoice.number}")
    auth.logout()
    auth.login(admin.email)
    pages["fees"] = fetch(client, "/review/fees")
    pages["discount_errors"] = fetch(client, "/review/fees/discounts", {"name": ""})
    auth.logout()
    veteran = CompanyFactory(stage=Stage.ACTIVE)
    veteran.membership.joined_at = datetime(2024, 3, 1, tzinfo=UTC)
    db.session.commit()
    auth.login(owner_of(veteran, email="owner.veteran@example.com").email)
    pages["renewal_due"] = fetch(client, "/company/invoices/")
    pages["dashboard_renewal"] = fetch(client, "/company/")
    assert vnu(pages, tmp_path) == []


def test_representative_pages_are_valid(client, auth, admin, rep_th, company_a, vnu, tmp_path):
    organisation = representative(
        "Child Safe & Co", ("TH", "KH"), website="https://cs.example/?a=1&b=2", email="a@cs.example"
    )
    member = CompanyFactory(stage=Stage.ACTIVE, countries=("TH",), representative=organisation)
    db.session.commit()
    pages = {
        "country": fetch(client, "/countries/TH"),
        "profile": fetch(client, f"/signatories/{member.slug}"),
    }
    auth.login(admin.email)
    pages |= {
        "index": fetch(client, "/review/representatives"),
        "new": fetch(client, "/review/representatives/new"),
        "new_errors": fetch(client, "/review/representatives/new", {"website": "x"}),
        "edit": fetch(client, f"/review/representatives/{organisation.id}"),
        "staff": fetch(client, "/review/staff"),
        "detail_admin": fetch(client, f"/review/companies/{company_a.id}"),
    }
    auth.logout()
    auth.login(rep_th.email)
    pages["detail_representative"] = fetch(client, f"/review/companies/{company_a.id}")
    assert vnu(pages, tmp_path) == []
