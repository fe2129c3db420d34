"""No page scrolls sideways on a 360 × 740 phone, nor tucks a table's key column away in a box that
scrolls: every GET page of every role, with long data."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import TIMEOUT_MS, import_or_skip
from tests.factories import PASSWORD, CompanyFactory, UserFactory, owner_of, representative, staff
from tests.fixtures import two_factor
from tests.fixtures.applications import return_for_changes
from tests.reports.helpers import complete_answers, ready_report
from tests.reports.pdfs import pdf_bytes
from tracker.auth.invitations import issue_token
from tracker.auth.models import Invitation, Role, StaffInvitation, User
from tracker.auth.services import reset_token_payload
from tracker.billing import services as billing_services
from tracker.companies import colleagues, drafts
from tracker.companies import services as company_services
from tracker.companies.enums import ApplicationStatus, CompanyType, Stage
from tracker.companies.models import Company
from tracker.companies.operations import Operation
from tracker.extensions import db
from tracker.membership import services as membership_services
from tracker.plans import services as plan_services
from tracker.plans.models import Plan, PlanCriterion, PlanState
from tracker.reports import drafting
from tracker.reports import services as report_services
from tracker.reports.models import Section
from tracker.tokens import make_token

pytestmark = pytest.mark.browser
sync_api = import_or_skip("playwright.sync_api")
Page, expect = sync_api.Page, sync_api.expect

# Words with nowhere to break are what push a layout wider than a phone.
LONG_NAME = ("Longname" * 15)[:120]  # the longest display or person name allowed, no spaces
LONG_LEGAL_NAME = ("Legalname" * 23)[:200]
LONG_URL = "https://" + "www." + "w" * 60 + ".example/" + "path" * 20
LONG_COMMENT = "Please add your offices in " + "Phnom-Penh-Siem-Reap-Battambang-" * 4 + " too."


def long_email(tag: str) -> str:
    """A 60-character address starting with `tag`, so each tag gives its own address."""
    domain = "@example.com"
    return f"{tag}.{'m' * 60}"[: 60 - len(domain)] + domain


def long_company(**kwargs) -> Company:
    """A company with every text field as long as the forms allow, in four countries."""
    operations = [
        Operation(country_code=code, property_name=("Property" * 25)[:200], city=LONG_NAME)
        for code in ("TH", "KH", "FR", "VN")
    ]
    values = {
        "legal_name": LONG_LEGAL_NAME,
        "display_name": LONG_NAME,
        "website": LONG_URL,
        "contact_name": LONG_NAME,
        "contact_email": long_email("contact"),
        "contact_phone": "+66 2 000 0000 ext 12345678",
        "operations": operations,
    }
    return CompanyFactory(**values | kwargs)


def long_user(tag: str, **kwargs) -> User:
    return UserFactory(name=LONG_NAME, email=long_email(tag), **kwargs)


def long_staff(role: Role, tag: str, countries: tuple[str, ...] = ()) -> User:
    if role is Role.REPRESENTATIVE:
        organisation = representative(
            f"{LONG_NAME} {tag}", countries, website=LONG_URL, email=long_email(tag + ".org")
        )
        return staff(role, name=LONG_NAME, email=long_email(tag), representative=organisation)
    return staff(role, countries, name=LONG_NAME, email=long_email(tag))


def edit_company(company: Company, actor: User, **changes) -> None:
    """Save the company's details with `changes`, as its edit form does."""
    operations = company_services.inputs_of(company.operations)
    current = {name: getattr(company, name) for name in company_services.DETAIL_FIELDS}
    details = company_services.CompanyDetails(**current, operations=operations)
    company_services.update_company(company, replace(details, **changes), actor)
    db.session.commit()


def invite(company: Company, by: User, *tags: str) -> None:
    for tag in tags:
        db.session.add(Invitation(company=company, email=long_email(tag), invited_by=by))
    db.session.commit()


# The records behind each page. Each returns what the page's path needs; "user" signs in first.


def nothing() -> dict:
    return {}


def reset_link() -> dict:
    user = long_user("forgetful")
    return {"token": make_token("reset", reset_token_payload(user))}


def invitation_link() -> dict:
    company = long_company()
    owner = owner_of(company, name=LONG_NAME, email=long_email("owner"))
    invitation = Invitation(company=company, email=long_email("invitee"), invited_by=owner)
    issue_token(invitation)
    db.session.add(invitation)
    db.session.commit()
    return {"token": invitation.token}


def staff_invitation_link() -> dict:
    admin = long_staff(Role.ADMIN, "admin")
    invitation = StaffInvitation(
        email=long_email("newstaff"),
        role=Role.REPRESENTATIVE,
        representative=representative(LONG_NAME, ("TH", "KH", "LA", "VN", "MM", "CD", "CF")),
        invited_by=admin,
    )
    issue_token(invitation)
    db.session.add(invitation)
    db.session.commit()
    return {"token": invitation.token}


def unconfirmed() -> dict:
    return {"user": long_user("unconfirmed", email_confirmed_at=None)}


def applicant() -> dict:
    return {"user": long_user("applicant")}


def applicant_with_draft() -> dict:
    """An applicant who saved a draft as long as the form allows (the website is shown again)."""
    user = long_user("drafter")
    rows = [{"country_code": "TH", "property_name": ("Property" * 25)[:200], "city": LONG_NAME}]
    data = {"legal_name": LONG_LEGAL_NAME, "website": LONG_URL, "operations": rows}
    drafts.save_draft(user, data)
    db.session.commit()
    return {"user": user}


def under_review() -> dict:
    """An owner whose application is waiting, with a changed detail in its history."""
    company = long_company()
    owner = owner_of(company, name=LONG_NAME, email=long_email("owner"))
    colleague = UserFactory(company=company, name=LONG_NAME, email=long_email("colleague"))
    invite(company, owner, "invitee1", "invitee2", "invitee3")
    edit_company(company, owner, legal_name=LONG_LEGAL_NAME[:-1] + "2")
    return {"user": owner, "colleague": colleague, "company": company}


def colleague_of_member() -> dict:
    records = member()
    colleague = UserFactory(
        company=records["company"], name=LONG_NAME, email=long_email("colleague")
    )
    return records | {"user": colleague}


def returned() -> dict:
    """An owner whose application came back with a comment holding a very long word."""
    company = long_company()
    owner = owner_of(company, name=LONG_NAME, email=long_email("owner"))
    return_for_changes(company, long_staff(Role.REVIEWER, "reviewer"), LONG_COMMENT)
    return {"user": owner, "company": company}


def approved() -> dict:
    company = long_company(status=ApplicationStatus.APPROVED)
    return {"user": owner_of(company, name=LONG_NAME, email=long_email("owner"))}


def returned_plan() -> dict:
    """An approved company whose plan (every answer as long as allowed) came back."""
    records = approved()
    owner = records["user"]
    reviewer = long_staff(Role.REVIEWER, "reviewer")
    plan = plan_services.start_plan(owner.company, owner)
    answer = plan_services.CriterionInput(LONG_COMMENT, LONG_NAME, plan_services.today())
    given = plan_services.PlanInput(
        criteria=dict.fromkeys(PlanCriterion, answer),
        staff_to_train=10_000_000,
        organises_volunteering=True,
    )
    plan_services.save_draft(plan, given, owner, plan.version)
    plan_services.submit_plan(plan, owner, plan.version)
    comments = {"training": LONG_COMMENT, "other": LONG_COMMENT}
    plan_services.return_plan(plan, reviewer, comments, LONG_COMMENT, plan.version)
    db.session.commit()
    return records | {"plan": plan, "reviewer": reviewer}


def resubmitted_plan() -> dict:
    """Submitted again after the return, seen by the reviewer."""
    records = returned_plan()
    plan, owner = records["plan"], records["user"]
    plan_services.submit_plan(plan, owner, plan.version)
    db.session.commit()
    return records | {"user": records["reviewer"]}


SIGNATURE = company_services.SignatureInput(
    signatory_name=LONG_NAME,
    signatory_title=LONG_NAME,
    accepted_criteria=(1, 2, 3, 4, 5, 6),
    authority_confirmed=True,
)


def member() -> dict:
    company = long_company(status=ApplicationStatus.APPROVED)
    owner = owner_of(company, name=LONG_NAME, email=long_email("owner"))
    company_services.sign_code(company, owner, SIGNATURE)
    db.session.commit()
    invite(company, owner, "invitee1", "invitee2")
    return {"user": owner, "company": company}


def unpaid() -> dict:
    """An approved company with an approved plan and its joining invoice awaiting payment."""
    company = long_company(status=ApplicationStatus.APPROVED, paid=False)
    db.session.add(Plan(company=company, year=company.created_at.year, state=PlanState.APPROVED))
    owner = owner_of(company, name=LONG_NAME, email=long_email("owner"))
    db.session.commit()
    return {"user": owner, "invoice": billing_services.joining_invoice(company)}


def staff_on(records: Callable[[], dict], role: Role) -> Callable[[], dict]:
    """The same records, seen by a staff member of `role`."""

    def seen() -> dict:
        made = records()
        return made | {"user": long_staff(role, role.value)}

    return seen


def member_with_change_request() -> dict:
    """A member whose owner asked to change its public name: what the reviewer decides on."""
    records = member()
    edit_company(records["company"], records["user"], display_name=LONG_NAME[:-1] + "2")
    return records


def reviewing(records: Callable[[], dict]) -> Callable[[], dict]:
    """The same records, seen by a reviewer."""
    return lambda: records() | {"user": long_staff(Role.REVIEWER, "reader")}


def suspended_member() -> dict:
    records = member()
    reviewer = long_staff(Role.REVIEWER, "reviewer")
    membership_services.suspend_membership(records["company"], reviewer, LONG_COMMENT)
    db.session.commit()
    return records


def public_member() -> dict:
    """That member, as anyone sees it on public pages (nobody signs in)."""
    member()
    return {}


def hotel_chain() -> dict:
    """A chain with more properties than the edit form lists, each with long names."""
    company = long_company(type=CompanyType.HOTEL_CHAIN)
    company.operations = [
        Operation(country_code=code, property_name=f"{n:02d}" + LONG_NAME[2:], city=LONG_NAME)
        for n in range(60)
        for code in ("TH",)
    ] + [Operation(country_code="CD", property_name=LONG_NAME, city=LONG_NAME)]
    db.session.commit()
    return {"user": owner_of(company, name=LONG_NAME, email=long_email("owner"))}


def members_of_every_type() -> dict:
    """Members of every type in Thailand (a column each under the map), all with long names."""
    for company_type in CompanyType:
        tag = company_type.value.replace("_", "")
        company = long_company(
            type=company_type, status=ApplicationStatus.APPROVED, contact_email=long_email(tag)
        )
        owner = owner_of(company, name=LONG_NAME, email=long_email("o" + tag))
        company_services.sign_code(company, owner, SIGNATURE)
    db.session.commit()
    return {}


def ownership_offer() -> dict:
    records = under_review()
    offer = colleagues.offer_ownership(records["user"], records["colleague"])
    db.session.commit()
    return {"user": records["colleague"], "token": offer.token}


def queue() -> dict:
    """More applications than fit on one page, some with long names, in many countries."""
    reviewer = long_staff(Role.REVIEWER, "reviewer")
    for n in range(12):
        long_company(contact_email=long_email(f"c{n}"))
        CompanyFactory(countries=("TH", "KH", "LA", "VN", "MM", "FR", "CD", "CF"))
    for n in range(3):
        returned_company = long_company(contact_email=long_email(f"r{n}"))
        return_for_changes(returned_company, reviewer, "Add Laos.")
        edit_company(returned_company, owner_of(returned_company))  # resubmitted
    return {"user": reviewer}


def representative_queue() -> dict:
    countries = ("TH", "KH", "LA", "VN", "MM", "CD", "CF", "GB")
    long_company()
    return {"user": long_staff(Role.REPRESENTATIVE, "rep", countries)}


def review_detail() -> dict:
    """A resubmitted application: a return with a comment and changes in its history."""
    reviewer = long_staff(Role.REVIEWER, "reviewer")
    company = long_company()
    owner = owner_of(company, name=LONG_NAME, email=long_email("owner"))
    UserFactory(company=company, name=LONG_NAME, email=long_email("colleague"))
    return_for_changes(company, reviewer, LONG_COMMENT)
    edit_company(company, owner, display_name=LONG_NAME[:-1] + "2", website=LONG_URL + "2")
    return {"user": reviewer, "company": company, "owner": owner}


def staff_accounts() -> dict:
    admin = long_staff(Role.ADMIN, "admin")
    long_staff(Role.REVIEWER, "reviewer")
    rep = long_staff(Role.REPRESENTATIVE, "rep", ("TH", "KH", "LA", "VN", "MM", "CD", "CF"))
    db.session.add(
        StaffInvitation(
            email=long_email("newstaff"),
            role=Role.REPRESENTATIVE,
            representative=rep.representative,
            invited_by=admin,
        )
    )
    db.session.commit()
    return {"user": admin, "rep": rep}


def company_outside_representative() -> dict:
    company = long_company(operations=[Operation(country_code="FR")])
    rep = long_staff(Role.REPRESENTATIVE, "rep", ("TH", "KH", "LA", "VN", "MM", "CD", "CF"))
    return {"user": rep, "company": company}


def reporting_member() -> dict:
    """A member since 2024 with a complete 2025 draft whose texts are as long as allowed."""
    records = member()
    company, owner = records["company"], records["user"]
    company.membership.joined_at = datetime(2024, 5, 1, tzinfo=UTC)
    report = ready_report(company, owner)
    answers = replace(
        complete_answers(report),
        travellers_text=LONG_COMMENT,
        stakeholder_organisations=LONG_COMMENT,
        stakeholder_activities=LONG_NAME,
    )
    drafting.save_draft(report, answers, owner, report.version)
    db.session.commit()
    return records | {"report": report}


def returned_report() -> dict:
    """That report submitted, then returned with a long comment on every section."""
    records = reporting_member()
    report, owner = records["report"], records["user"]
    reviewer = long_staff(Role.REVIEWER, "reviewer")
    report_services.submit_report(report, owner, report.version, report_services.today())
    comments = dict.fromkeys(Section, LONG_COMMENT)
    report_services.return_report(report, reviewer, comments, LONG_COMMENT, report.version)
    db.session.commit()
    return records | {"reviewer": reviewer}


def resubmitted_report() -> dict:
    """Changed and submitted again: the reviewer's page lists what changed."""
    records = returned_report()
    report, owner = records["report"], records["user"]
    answers = replace(complete_answers(report, trained=9), travellers_text=LONG_NAME)
    drafting.save_draft(report, answers, owner, report.version)
    report_services.submit_report(report, owner, report.version, report_services.today())
    db.session.commit()
    return records | {"user": records["reviewer"]}


def country_with_training() -> dict:
    """That report accepted: the pages of its countries tabulate its staff training."""
    records = reporting_member()
    report, owner = records["report"], records["user"]
    reviewer = long_staff(Role.REVIEWER, "reviewer")
    report_services.submit_report(report, owner, report.version, report_services.today())
    report_services.accept_report(report, reviewer, "", report.version)
    db.session.commit()
    return {}


def reporting_dashboard() -> dict:
    """Overdue and extended members with long names, seen on the dashboard."""
    records = resubmitted_report()
    for tag in ("late1", "late2"):
        company = long_company(contact_email=long_email(tag), status=ApplicationStatus.APPROVED)
        owner = owner_of(company, name=LONG_NAME, email=long_email(tag + "o"))
        company_services.sign_code(company, owner, SIGNATURE)
        company.membership.joined_at = datetime(2023, 5, 1, tzinfo=UTC)
    db.session.commit()
    return records


# What to do on a page before measuring it.


def save_draft(page: Page, records: dict) -> None:
    page.get_by_label("Legal name", exact=True).fill(LONG_LEGAL_NAME)
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Draft saved on")).to_be_visible()


def submit(button: str) -> Callable[[Page, dict], None]:
    """Send the form as it is, expecting it back with its errors."""

    def action(page: Page, records: dict) -> None:
        page.get_by_role("button", name=button).click()
        expect(page).to_have_title(re.compile(r"^Error: "))

    return action


def resubmit_with_errors(page: Page, records: dict) -> None:
    page.get_by_label("Public display name").fill("")
    page.get_by_label("Contact e-mail").fill(LONG_NAME)
    submit("Resubmit application")(page, records)


def preview_bad_rows(page: Page, records: dict) -> None:
    rows = [f"Atlantis{LONG_NAME},{LONG_NAME},{LONG_NAME}", f"TH,{LONG_LEGAL_NAME}x,{LONG_NAME}"]
    page.get_by_label("Paste the rows").fill("\n".join(rows))
    page.get_by_role("button", name="Check the rows").click()
    expect(page.get_by_role("table", name="Rows with problems")).to_be_visible()


def preview_good_rows(page: Page, records: dict) -> None:
    rows = [f"Thailand,{LONG_NAME}{n},{LONG_NAME}" for n in range(60)]
    page.get_by_label("Paste the rows").fill("\n".join(rows))
    page.get_by_role("button", name="Check the rows").click()
    expect(page.get_by_role("button", name="Import 60 rows")).to_be_visible()


def bad_report(page: Page, records: dict) -> None:
    page.get_by_label("Supplier contracts in force at year end").fill("-3")
    page.get_by_label("Of these, contracts that include the Code clause").fill("9999999")
    submit("Save draft")(page, records)


def bad_report_kept_file(page: Page, records: dict) -> None:
    """A PDF of the longest name kept from a refused save."""
    page.get_by_label("Policy document (PDF)").set_input_files(
        {"name": LONG_NAME + ".pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    bad_report(page, records)


def withdraw_reason(page: Page, records: dict) -> None:
    page.get_by_label("Why does your company withdraw").fill(LONG_COMMENT)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Yes, withdraw")).to_be_visible()


def open_approval(page: Page, records: dict) -> None:
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("button", name="Yes, approve")).to_be_visible()


def decide_after_a_change(page: Page, records: dict) -> None:
    """The owner changes the application while the reviewer reads it: the decision is a 409."""
    edit_company(records["company"], records["owner"], legal_name=LONG_LEGAL_NAME[:-1] + "3")
    page.get_by_label("What should the company change?").fill(LONG_COMMENT)
    with page.expect_response(re.compile(r"/return$")) as response:
        page.get_by_role("button", name="Return for changes").click()
    assert response.value.status == 409
    expect(page.get_by_role("heading", name="Nothing was decided")).to_be_visible()


def check_long_list(page: Page, records: dict) -> None:
    company = records["company"]
    lines = [
        f"{company.display_name}, Thailand, {company.membership_number}",
        f"{LONG_LEGAL_NAME}, {LONG_NAME[:90]}",
        LONG_NAME + " " + LONG_NAME,
    ]
    page.get_by_label("Your suppliers").fill("\n".join(lines))
    page.get_by_role("button", name="Check the list").click()
    results = page.get_by_role("table", name="Each supplier and the company it matches")
    expect(results).to_be_visible()


def namesakes() -> dict:
    """Two members of one long name: the supplier check lists them under "Check these"."""
    for country in ("TH", "KH"):
        CompanyFactory(
            display_name=LONG_NAME,
            legal_name=LONG_LEGAL_NAME,
            stage=Stage.ACTIVE,
            countries=(country,),
        )
    db.session.commit()
    return {}


def check_namesakes(page: Page, records: dict) -> None:
    page.get_by_label("Your suppliers").fill(LONG_NAME)
    page.get_by_role("button", name="Check the list").click()
    to_check = page.get_by_role("table", name="Each supplier and the companies it may be")
    expect(to_check).to_contain_text("2 companies have this name")


@dataclass(frozen=True)
class Screen:
    path: str  # filled in from what `records` returns, e.g. "/account/reset/{token}"
    records: Callable[[], dict] = nothing
    status: int = 200
    then: Callable[[Page, dict], None] | None = None


SCREENS = {
    # Anyone
    "home": Screen("/"),
    "home, with members": Screen("/", public_member),
    "sign in": Screen("/account/login"),
    "sign in with errors": Screen("/account/login", then=submit("Sign in")),
    "register": Screen("/account/register"),
    "register with errors": Screen("/account/register", then=submit("Create account")),
    "reset request": Screen("/account/reset"),
    "reset link": Screen("/account/reset/{token}", reset_link),
    "invitation link": Screen("/account/invitation/{token}", invitation_link),
    "staff invitation link": Screen("/account/staff-invitation/{token}", staff_invitation_link),
    "404": Screen("/no-such-page", status=404),
    "verify": Screen("/verify?number=" + LONG_NAME[:40], status=400),
    "verify, member": Screen(
        "/verify/{number}", lambda: {"number": member()["company"].membership_number}
    ),
    "verify, suspended member": Screen(
        "/verify/{number}", lambda: {"number": suspended_member()["company"].membership_number}
    ),
    "supplier check": Screen("/check"),
    "supplier check, results": Screen("/check", suspended_member, then=check_long_list),
    "supplier check, namesakes": Screen("/check", namesakes, then=check_namesakes),
    "signatories": Screen(
        "/signatories?q={q}", lambda: {"q": member()["company"].display_name[:100]}
    ),
    "signatories with errors": Screen("/signatories?q=" + LONG_NAME + "&country=ZZ", status=400),
    "member profile": Screen("/signatories/{slug}", lambda: {"slug": member()["company"].slug}),
    "countries": Screen("/countries", members_of_every_type),
    "country": Screen("/countries/TH", members_of_every_type),
    "country, filtered": Screen("/countries/TH?type=hotel", members_of_every_type),
    # Cambodia: the phone's browser keeps the public pages, and Thailand's was seen untrained.
    "country, with training": Screen("/countries/KH", country_with_training),
    "country with errors": Screen(
        f"/countries/TH?page={LONG_NAME}&city={LONG_NAME}&type=x", members_of_every_type, status=400
    ),
    "country without members": Screen("/countries/BT"),
    "about": Screen("/about"),
    "privacy": Screen("/privacy"),
    "contact": Screen("/contact"),
    # Company users
    "start, unconfirmed": Screen("/company/", unconfirmed),
    "start": Screen("/company/", applicant),
    "apply form": Screen("/company/apply", applicant),
    "apply form with errors": Screen(
        "/company/apply", applicant, then=submit("Submit application")
    ),
    "apply form, draft saved": Screen("/company/apply", applicant, then=save_draft),
    "apply form from a draft": Screen("/company/apply", applicant_with_draft),
    "dashboard, under review": Screen("/company/", under_review),
    "edit form, under review": Screen("/company/edit", under_review),
    "colleagues, owner": Screen("/company/colleagues", under_review),
    "change password": Screen("/account/password", under_review),
    "sign form, not yet approved (403)": Screen("/company/sign", under_review, status=403),
    "ownership offer": Screen("/company/ownership/{token}", ownership_offer),
    "dashboard, returned": Screen("/company/", returned),
    "edit form, returned, with errors": Screen(
        "/company/edit", returned, then=resubmit_with_errors
    ),
    "dashboard, approved": Screen("/company/", approved),
    "sign form": Screen("/company/sign", approved),
    "sign form with errors": Screen("/company/sign", approved, then=submit("Sign The Code")),
    "plan form": Screen("/company/plan", approved),
    "plan form with errors": Screen(
        "/company/plan", approved, then=submit("Save and submit to ECPAT")
    ),
    "plan form, returned": Screen("/company/plan", returned_plan),
    "dashboard, plan returned": Screen("/company/", returned_plan),
    "dashboard, member": Screen("/company/", member),
    "colleagues, member's owner": Screen("/company/colleagues", member),
    "colleagues, member's colleague": Screen("/company/colleagues", colleague_of_member),
    "dashboard, member with a change request": Screen("/company/", member_with_change_request),
    "dashboard, suspended": Screen("/company/", suspended_member),
    "withdraw": Screen("/company/withdraw", member),
    "withdraw confirmation": Screen("/company/withdraw", member, then=withdraw_reason),
    "certificate": Screen("/company/certificate", member),
    "publication choices": Screen("/company/publication", member),
    "dashboard, invoice to pay": Screen("/company/", unpaid),
    "invoices": Screen("/company/invoices/", unpaid),
    "invoice": Screen("/company/invoices/{invoice.number}", unpaid),
    "sign form, invoice unpaid": Screen("/company/sign", unpaid),
    "staff invoices": Screen("/review/invoices", staff_on(unpaid, Role.REVIEWER)),
    "staff invoice": Screen("/review/invoices/{invoice.id}", staff_on(unpaid, Role.REVIEWER)),
    "staff invoice with errors": Screen(
        "/review/invoices/{invoice.id}",
        staff_on(unpaid, Role.REVIEWER),
        then=submit("Record the payment"),
    ),
    "staff invoice, cancel with errors": Screen(
        "/review/invoices/{invoice.id}",
        staff_on(unpaid, Role.REVIEWER),
        then=submit("Cancel the invoice"),
    ),
    "fee table": Screen("/review/fees", staff_on(nothing, Role.ADMIN)),
    "top members": Screen("/review/top-members/", staff_on(nothing, Role.REVIEWER)),
    "implementation rule": Screen(
        "/review/reports/implementation", staff_on(nothing, Role.REVIEWER)
    ),
    "no certificate, suspended (403)": Screen("/company/certificate", suspended_member, status=403),
    "dashboard, hotel chain": Screen("/company/", hotel_chain),
    "edit form, hotel chain": Screen("/company/edit", hotel_chain),
    "properties": Screen("/company/properties", hotel_chain),
    "properties, second page": Screen("/company/properties?page=2", hotel_chain),
    "import": Screen("/company/properties/import", hotel_chain),
    "import, rows with problems": Screen(
        "/company/properties/import", hotel_chain, then=preview_bad_rows
    ),
    "import, rows ready": Screen("/company/properties/import", hotel_chain, then=preview_good_rows),
    "reports": Screen("/company/reports/", reporting_member),
    "report form": Screen("/company/reports/2025", reporting_member),
    "report form with errors": Screen("/company/reports/2025", reporting_member, then=bad_report),
    "report form with a kept file": Screen(
        "/company/reports/2025", reporting_member, then=bad_report_kept_file
    ),
    "report form, returned": Screen("/company/reports/2025", returned_report),
    "report preview": Screen("/company/reports/2025/preview", reporting_member),
    "report, printable": Screen("/company/reports/2025/print", reporting_member),
    "training import": Screen("/company/reports/2025/training/import", reporting_member),
    "dashboard, report to continue": Screen("/company/", reporting_member),
    "dashboard, report returned": Screen("/company/", returned_report),
    "report questions": Screen("/company/reports/questions", reporting_member),
    "report questions, approved": Screen("/company/reports/questions", approved),
    # Staff
    "plan queue": Screen("/review/plans/", resubmitted_plan),
    "plan review": Screen("/review/plans/{plan.id}", resubmitted_plan),
    "plan review with errors": Screen(
        "/review/plans/{plan.id}", resubmitted_plan, then=submit("Return the plan")
    ),
    "report queue": Screen("/review/reports/", resubmitted_report),
    "report review": Screen("/review/reports/{report.id}", resubmitted_report),
    "reporting dashboard": Screen("/review/reports/dashboard", reporting_dashboard),
    "review detail, reporting member": Screen("/review/companies/{company.id}", resubmitted_report),
    "review detail, extension with errors": Screen(
        "/review/companies/{company.id}", resubmitted_report, then=submit("Grant the later date")
    ),
    "review queue": Screen("/review/", queue),
    "review queue, bad filters": Screen(
        f"/review/?status=nonsense&country=XX&q={'q' * 150}", queue
    ),
    "review queue, representative": Screen("/review/", representative_queue),
    "review detail": Screen("/review/companies/{company.id}", review_detail),
    "review detail with errors": Screen(
        "/review/companies/{company.id}", review_detail, then=submit("Return for changes")
    ),
    "approve confirmation": Screen(
        "/review/companies/{company.id}", review_detail, then=open_approval
    ),
    "decision conflict (409)": Screen(
        "/review/companies/{company.id}", review_detail, then=decide_after_a_change
    ),
    "review detail, member with a change request": Screen(
        "/review/companies/{company.id}", reviewing(member_with_change_request)
    ),
    "review detail, suspended member": Screen(
        "/review/companies/{company.id}", reviewing(suspended_member)
    ),
    "staff accounts": Screen("/review/staff", staff_accounts),
    "representatives": Screen("/review/representatives", staff_accounts),
    "representative organisation": Screen(
        "/review/representatives/{rep.representative_id}", staff_accounts
    ),
    "404, not in the representative's countries": Screen(
        "/review/companies/{company.id}", company_outside_representative, status=404
    ),
}

# Whether the document is wider than the window and, if so, what sticks out: elements whose
# right edge passes the window's, and text running past it, unless a scrolling box holds them (an
# absolutely positioned element escapes the boxes inside its containing block).
OVERFLOW = """() => {
    const width = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= width) return {scrollWidth, width, culprits: []};
    const contained = (e, self) => {
        let escaping = false;
        for (let a = e; a && a !== document.body; a = a.parentElement) {
            const style = getComputedStyle(a);
            if (a !== e && escaping && style.position !== "static") escaping = false;
            if ((a !== e || self) && !escaping && style.overflowX !== "visible") return true;
            if (style.position === "fixed") return false;
            if (style.position === "absolute") escaping = true;
        }
        return false;
    };
    const right = e => e.getBoundingClientRect().right;
    // Where the overflow starts: not inside an element that already sticks out on its own.
    const starts = e => right(e.parentElement) <= width || contained(e.parentElement, false)
        || getComputedStyle(e).position !== "static";
    const describe = (e, edge) => {
        const name = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
            + [...e.classList].map(c => "." + c).join("");
        const text = (e.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
        return `${name} (right edge ${Math.round(edge)}px) "${text}"`;
    };
    const culprits = [];
    for (const e of document.body.querySelectorAll("*")) {
        if (right(e) > width && !contained(e, false) && starts(e)) {
            culprits.push(describe(e, right(e)));
        }
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        range.selectNodeContents(node);
        const edge = range.getBoundingClientRect().right;
        const parent = node.parentElement;
        if (edge > width && right(parent) <= width && !contained(parent, true)) {
            culprits.push("text in " + describe(parent, edge));
        }
    }
    return {scrollWidth, width, culprits: culprits.slice(0, 10)};
}"""


# Tables whose columns scroll sideways in their own box, out of sight with no cue.
SCROLLING_TABLES = """() => [...document.querySelectorAll(".table-scroll")]
    .filter(box => box.scrollWidth > box.clientWidth + 1)
    .map(box => box.querySelector("caption")?.textContent.trim() || box.outerHTML.slice(0, 80))"""


@pytest.fixture(scope="module")
def phone_page(browser, live_server) -> Iterator[Page]:
    """One page at a small phone's size for the whole module.

    A new browser context per test, as the `page` fixture opens, would double this file's time.
    """
    context = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740})
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture()
def phone(phone_page) -> Page:
    """The phone page, signed out: no cookie is left from the test before."""
    phone_page.context.clear_cookies()
    return phone_page


def sign_in(page: Page, user: User) -> None:
    """Post the sign-in form from the page's context (sharing its cookies) without typing into it.

    Typing and loading the page it redirects to cost about 0.7 s a test; test_journey types.
    """
    form = page.request.get("/account/login").text()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    secret = two_factor.prepare(user.email)
    data = {"csrf_token": token, "email": user.email, "password": PASSWORD}
    response = page.request.post("/account/login", form=data, max_redirects=0)
    if secret is not None:  # staff: the code of the fixtures' known secret
        data = {"csrf_token": token, "code": two_factor.code_for(secret)}
        response = page.request.post(two_factor.VERIFY_PATH, form=data, max_redirects=0)
    assert response.status == 302, f"{user.email} could not sign in"


def show(screen: Screen, phone: Page) -> None:
    """Make the screen's records, sign in if it has a user, open it and do its action."""
    records = screen.records()
    if "user" in records:
        sign_in(phone, records["user"])
    path = screen.path.format(**records)
    response = phone.goto(path)
    # Not redirected (to the sign-in page, say): the page measured is the one named.
    assert (urlsplit(phone.url).path, response.status) == (urlsplit(path).path, screen.status)
    if screen.then:
        screen.then(phone, records)
        # The action may have loaded a new page: measure it styled, not while its CSS loads.
        phone.wait_for_load_state("load")


@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_page_is_no_wider_than_a_phone(screen: Screen, phone: Page):
    show(screen, phone)
    found = phone.evaluate(OVERFLOW)
    assert found["width"] == 360
    assert phone.evaluate(SCROLLING_TABLES) == [], "a table's columns hide off to the side"
    assert found["scrollWidth"] <= found["width"], (
        f"{phone.url} is {found['scrollWidth']}px wide in a {found['width']}px window; "
        "sticking out:\n  " + "\n  ".join(found["culprits"])
    )


# Tables whose rows are cards on a phone, and the column a reader comes for: in a table that
# scrolls sideways it sat out of sight, with nothing to say it was there.
KEY_CELLS = {
    "supplier check, results": "Standing",
    "countries": "All members",
    "country, with training": "Coverage",
    "report preview": "Coverage",
    "review queue": "Status",
    "plan queue": "State",
    "report queue": "State",
    "reports": "State",
    "import, rows with problems": "Problem",
    "review detail, member with a change request": "Asked for",
    "staff accounts": "Account",
    "representatives": "Accounts",
    "invoices": "State",
    "staff invoices": "State",
    "reporting dashboard": "Coverage",
}

# Where each key cell stands, and whether it shows its column's heading.
KEY_CELL_BOXES = """label => [...document.querySelectorAll(`td[data-label="${label}"]`)].map(e => {
    const box = e.getBoundingClientRect();
    const heading = getComputedStyle(e, "::before").content;
    return {left: box.left, right: box.right, width: box.width, heading};
})"""


@pytest.mark.parametrize("name", KEY_CELLS)
def test_key_column_shows_within_a_phone_screen(name: str, phone: Page):
    show(SCREENS[name], phone)
    cells = phone.evaluate(KEY_CELL_BOXES, KEY_CELLS[name])
    assert cells, f"no {KEY_CELLS[name]} cell on {phone.url}"
    for cell in cells:
        assert cell["width"] > 0 and cell["left"] >= 0 and cell["right"] <= 360, cell
        assert cell["heading"] == f'"{KEY_CELLS[name]}"'


# Every membership and invoice number on the page: how many lines it takes and where it ends.
NUMBERS = """() => [...document.querySelectorAll(".num-id")].map(e => ({
    text: e.textContent, lines: e.getClientRects().length,
    right: e.getBoundingClientRect().right,
}))"""


@pytest.mark.parametrize(
    "name", ["supplier check, results", "invoices", "invoice", "staff invoices", "certificate"]
)
def test_membership_and_invoice_numbers_stay_on_one_line(name: str, phone: Page):
    show(SCREENS[name], phone)
    numbers = phone.evaluate(NUMBERS)
    assert numbers, f"no number on {phone.url}"
    for number in numbers:
        assert number["lines"] == 1 and number["right"] <= 360, number


SEARCHES = {
    "directory": "/signatories?q=Longname",
    "country": "/countries/TH?type=hotel",
}


@pytest.mark.parametrize("path", SEARCHES.values(), ids=SEARCHES.keys())
def test_after_a_search_a_phone_shows_the_results_first(path: str, phone: Page):
    members_of_every_type()
    phone.goto(path)
    filters = phone.locator("details.filter-disclosure")
    expect(filters).not_to_have_attribute("open", re.compile(".*"))
    expect(filters.locator("form")).to_be_hidden()
    first = phone.locator("ol.members > li, ul.member-list > li").first
    assert first.bounding_box()["y"] < 640  # its top on the first screen (740 px high)
    # The filters open from the keyboard, with the one asked for still set.
    filters.locator("summary").focus()
    phone.keyboard.press("Enter")
    expect(filters.get_by_label("Type of business")).to_be_visible()
    expect(filters.locator("summary")).to_contain_text("Filters (1 active)")


def test_before_a_search_a_phone_shows_the_filters(phone: Page):
    phone.goto("/signatories")
    expect(phone.get_by_label("Name")).to_be_visible()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_last_button_has_room_above_the_footer(width: int, phone: Page):
    """Issue 16 item 13: the apply form's buttons sat right on the footer."""
    phone.set_viewport_size({"width": width, "height": 740})
    try:
        show(SCREENS["apply form"], phone)
        buttons = phone.locator("main form .actions").bounding_box()
        footer = phone.locator("footer.site-footer").bounding_box()
        assert footer["y"] - (buttons["y"] + buttons["height"]) >= 32  # 2rem at least
    finally:
        phone.set_viewport_size({"width": 360, "height": 740})
