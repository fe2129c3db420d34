"""axe-core (WCAG 2.2 AA) on the main pages, empty and with errors; keyboard checks."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from tests.browser.conftest import import_or_skip
from tests.factories import CompanyFactory, UserFactory, owner_of
from tests.plans.helpers import submitted_plan
from tests.reports.helpers import complete_answers, member, ready_report
from tests.reports.pdfs import pdf_bytes
from tracker.billing import services as billing_services
from tracker.companies import change_requests
from tracker.companies.enums import ApplicationStatus, CompanyType, Stage
from tracker.companies.operations import Operation
from tracker.extensions import db
from tracker.plans import services as plan_services
from tracker.plans.models import Plan, PlanState
from tracker.reports import drafting
from tracker.reports import services as report_services
from tracker.reports.models import Section
from tracker.review.services import return_application

pytestmark = pytest.mark.browser
sync_api = import_or_skip("playwright.sync_api")
Page, expect = sync_api.Page, sync_api.expect
Axe = import_or_skip("axe_playwright_python.sync_playwright").Axe

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
axe = Axe()


def submit_empty(button: str) -> Callable[[Page], None]:
    """An action that sends a form as it is, expecting it back with its errors."""

    def action(page: Page) -> None:
        page.get_by_role("button", name=button).click()
        expect(page).to_have_title(re.compile(r"^Error: "))
        expect(page.locator(".error-summary")).to_be_focused()

    return action


def check_bad_rows(page: Page) -> None:
    page.get_by_label("Paste the rows").fill("Atlantis,Lotus Deep,Sunken City\nTH,,Bangkok")
    page.get_by_role("button", name="Check the rows").click()
    expect(page.get_by_role("table", name="Rows with problems")).to_be_visible()


def check_good_rows(page: Page) -> None:
    page.get_by_label("Paste the rows").fill("Cambodia,Lotus Kep,Kep")
    page.get_by_role("button", name="Check the rows").click()
    expect(page.get_by_role("button", name="Import 1 row")).to_be_visible()


def give_withdraw_reason(page: Page) -> None:
    page.get_by_label("Why does your company withdraw").fill("We sold the business.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Yes, withdraw")).to_be_visible()


def in_french(page: Page) -> None:
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def bad_contracts(page: Page) -> None:
    page.get_by_label("Supplier contracts in force at year end").fill("-3")
    page.get_by_role("button", name="Save draft").click()
    expect(page).to_have_title(re.compile(r"^Error: "))


def kept_policy(page: Page) -> None:
    """A PDF chosen on a refused save: kept, with the box to drop it."""
    page.get_by_label("Policy document (PDF)").set_input_files(
        {"name": "policy.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    bad_contracts(page)


def save_draft(page: Page) -> None:
    page.get_by_label("Legal name", exact=True).fill("Sunrise Tours Ltd")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Draft saved on")).to_be_visible()


def add_operation(page: Page) -> None:
    page.get_by_role("button", name="Add another operation").click()
    expect(page.get_by_role("group", name="Operation 2")).to_be_visible()


def check_suppliers(page: Page) -> None:
    lines = ["Epsilon Tours Co. Ltd, Thailand", "Faded Tours", "Nobody Known", "=1+1", "Twin Tours"]
    page.get_by_label("Your suppliers").fill("\n".join(lines))
    page.get_by_role("button", name="Check the list").click()
    results = page.get_by_role("table", name="Each supplier and the company it matches")
    expect(results).to_be_visible()
    to_check = page.get_by_role("table", name="Each supplier and the companies it may be")
    expect(to_check).to_contain_text("2 companies have this name")


@dataclass(frozen=True)
class Screen:
    path: str  # may name a fixture in braces, e.g. "/review/companies/{company_a.id}"
    user: str | None = None  # fixture that signs in first
    needs: tuple[str, ...] = ()  # other fixtures the page's data needs
    status: int = 200
    then: Callable[[Page], None] | None = field(default=None, compare=False)


SCREENS = {
    "home": Screen("/"),
    "home, with members": Screen("/", needs=("report_owner",)),
    "register": Screen("/account/register"),
    "register with errors": Screen("/account/register", then=submit_empty("Create account")),
    "login": Screen("/account/login"),
    "login with errors": Screen("/account/login", then=submit_empty("Sign in")),
    "reset request": Screen("/account/reset"),
    "404": Screen("/no-such-page", status=404),
    "about": Screen("/about"),
    "privacy": Screen("/privacy"),
    "contact": Screen("/contact"),
    "home in French": Screen("/", then=in_french),
    "verify": Screen("/verify"),
    "verify with errors": Screen("/verify?number=nonsense", status=400),
    "verify, member": Screen(
        "/verify/{report_owner.company.membership_number}", needs=("report_owner",)
    ),
    "verify, unknown": Screen("/verify/TC-999999", status=404),
    "supplier check": Screen("/check"),
    "supplier check with errors": Screen("/check", then=submit_empty("Check the list")),
    "supplier check, results": Screen(
        "/check", needs=("report_owner", "former_supplier", "namesakes"), then=check_suppliers
    ),
    "countries": Screen("/countries", needs=("report_owner",)),
    "country": Screen("/countries/TH", needs=("chain_member", "report_owner")),
    "country with errors": Screen("/countries/TH?page=abc&type=x", status=400),
    "country, past the last page": Screen(
        "/countries/TH?page=5", needs=("report_owner",), status=404
    ),
    "country without members": Screen("/countries/BT"),
    "signatories": Screen("/signatories", needs=("report_owner",)),
    "signatories, searched": Screen("/signatories?q=epsilon", needs=("report_owner",)),
    "country, filtered": Screen("/countries/TH?type=tour_operator", needs=("report_owner",)),
    "signatories with errors": Screen("/signatories?country=ZZ&q=%00", status=400),
    "member profile": Screen("/signatories/{report_owner.company.slug}", needs=("report_owner",)),
    "company start, unconfirmed": Screen("/company/", user="unconfirmed"),
    "company start": Screen("/company/", user="applicant"),
    "apply form": Screen("/company/apply", user="applicant"),
    "apply form with errors": Screen(
        "/company/apply", user="applicant", then=submit_empty("Submit application")
    ),
    "apply form with two operations": Screen(
        "/company/apply", user="applicant", then=add_operation
    ),
    "apply form, draft saved": Screen("/company/apply", user="applicant", then=save_draft),
    "dashboard": Screen("/company/", user="owner_a"),
    "dashboard, returned": Screen("/company/", user="returned_owner"),
    "edit form": Screen("/company/edit", user="owner_a"),
    "sign": Screen("/company/sign", user="owner_b"),
    "sign with errors": Screen("/company/sign", user="owner_b", then=submit_empty("Sign The Code")),
    "colleagues": Screen("/company/colleagues", user="owner_a"),
    "change password": Screen("/account/password", user="owner_a"),
    "dashboard, member": Screen("/company/", user="member_owner"),
    "dashboard, member in Spanish": Screen(
        "/company/",
        user="member_owner",
        then=lambda page: page.get_by_role("button", name="Español").click(),
    ),
    "certificate": Screen("/company/certificate", user="member_owner"),
    "no certificate (403)": Screen("/company/certificate", user="owner_a", status=403),
    "withdraw": Screen("/company/withdraw", user="member_owner"),
    "withdraw confirmation": Screen(
        "/company/withdraw", user="member_owner", then=give_withdraw_reason
    ),
    "properties": Screen("/company/properties", user="chain_owner"),
    "edit form, hotel chain": Screen("/company/edit", user="chain_owner"),
    "import": Screen("/company/properties/import", user="chain_owner"),
    "import, rows with problems": Screen(
        "/company/properties/import", user="chain_owner", then=check_bad_rows
    ),
    "import, rows ready": Screen(
        "/company/properties/import", user="chain_owner", then=check_good_rows
    ),
    "review detail, member": Screen(
        "/review/companies/{member_owner.company_id}", user="reviewer", needs=("member_owner",)
    ),
    "review queue": Screen("/review/", user="reviewer", needs=("company_a",)),
    "staff accounts": Screen("/review/staff", user="admin", needs=("reviewer", "rep_th")),
    "review detail": Screen(
        "/review/companies/{company_a.id}", user="reviewer", needs=("company_a", "owner_a")
    ),
    "reports": Screen("/company/reports/", user="report_owner"),
    "report form": Screen("/company/reports/2025", user="report_owner"),
    "report form with errors": Screen(
        "/company/reports/2025", user="report_owner", then=bad_contracts
    ),
    "report form with a kept file": Screen(
        "/company/reports/2025", user="report_owner", then=kept_policy
    ),
    "report form, returned": Screen("/company/reports/2025", user="returned_report_owner"),
    "report form in French": Screen("/company/reports/2025", user="report_owner", then=in_french),
    "report preview": Screen("/company/reports/2025/preview", user="report_owner"),
    "report, printable": Screen("/company/reports/2025/print", user="report_owner"),
    "training import": Screen("/company/reports/2025/training/import", user="report_owner"),
    "dashboard, report to continue": Screen("/company/", user="report_owner"),
    "dashboard, report returned": Screen("/company/", user="returned_report_owner"),
    "report questions": Screen("/company/reports/questions", user="report_owner"),
    "report queue": Screen("/review/reports/", user="reviewer", needs=("resubmitted_report",)),
    "report review": Screen(
        "/review/reports/{resubmitted_report.id}", user="reviewer", needs=("resubmitted_report",)
    ),
    "reporting dashboard": Screen(
        "/review/reports/dashboard", user="reviewer", needs=("resubmitted_report",)
    ),
    "review detail with reports": Screen(
        "/review/companies/{resubmitted_report.company_id}",
        user="reviewer",
        needs=("resubmitted_report",),
    ),
    "review detail, extension with errors": Screen(
        "/review/companies/{resubmitted_report.company_id}",
        user="reviewer",
        needs=("resubmitted_report",),
        then=submit_empty("Grant the later date"),
    ),
    "review detail with errors": Screen(
        "/review/companies/{company_a.id}",
        user="reviewer",
        needs=("company_a",),
        then=submit_empty("Return for changes"),
    ),
    "dashboard, plan to write": Screen("/company/", user="owner_b"),
    "plan form": Screen("/company/plan", user="owner_b"),
    "plan form with errors": Screen(
        "/company/plan", user="owner_b", then=submit_empty("Save and submit to ECPAT")
    ),
    "plan form in French": Screen("/company/plan", user="owner_b", then=in_french),
    "plan form, returned": Screen("/company/plan", user="returned_plan_owner"),
    "plan queue": Screen("/review/plans/", user="reviewer", needs=("resubmitted_plan",)),
    "invoices": Screen("/company/invoices/", user="unpaid_owner"),
    "invoice": Screen(
        "/company/invoices/{unpaid_invoice.number}", user="unpaid_owner", needs=("unpaid_invoice",)
    ),
    "sign, invoice unpaid": Screen("/company/sign", user="unpaid_owner"),
    "staff invoices": Screen("/review/invoices", user="reviewer", needs=("unpaid_invoice",)),
    "staff invoice": Screen(
        "/review/invoices/{unpaid_invoice.id}", user="reviewer", needs=("unpaid_invoice",)
    ),
    "staff invoice with errors": Screen(
        "/review/invoices/{unpaid_invoice.id}",
        user="reviewer",
        needs=("unpaid_invoice",),
        then=submit_empty("Record the payment"),
    ),
    "staff invoice, cancel with errors": Screen(
        "/review/invoices/{unpaid_invoice.id}",
        user="reviewer",
        needs=("unpaid_invoice",),
        then=submit_empty("Cancel the invoice"),
    ),
    "fee table": Screen("/review/fees", user="admin"),
    "publication choices": Screen("/company/publication", user="member_owner"),
    "top members": Screen("/review/top-members/", user="reviewer", needs=("report_owner",)),
    "implementation rule": Screen("/review/reports/implementation", user="reviewer"),
    "representatives": Screen("/review/representatives", user="admin", needs=("rep_th",)),
    "plan review": Screen(
        "/review/plans/{resubmitted_plan.id}", user="reviewer", needs=("resubmitted_plan",)
    ),
    "plan review with errors": Screen(
        "/review/plans/{resubmitted_plan.id}",
        user="reviewer",
        needs=("resubmitted_plan",),
        then=submit_empty("Return the plan"),
    ),
    "plan review, representative": Screen(
        "/review/plans/{resubmitted_plan.id}", user="rep_th", needs=("resubmitted_plan",)
    ),
}


@pytest.fixture()
def unpaid_owner():
    """An approved company with an approved plan whose joining invoice awaits payment."""
    company = CompanyFactory(
        display_name="Iota Inns", countries=("TH",), stage=Stage.APPROVED, paid=False
    )
    db.session.add(Plan(company=company, year=company.created_at.year, state=PlanState.APPROVED))
    owner = owner_of(company, email="owner.i@example.com")
    db.session.commit()
    return owner


@pytest.fixture()
def unpaid_invoice(unpaid_owner):
    return billing_services.joining_invoice(unpaid_owner.company)


@pytest.fixture()
def report_owner():
    """A member (since 2024) with a complete 2025 draft, in Thailand and Cambodia."""
    company, owner = member(display_name="Epsilon Tours", countries=("TH", "KH"))
    ready_report(company, owner)
    return owner


@pytest.fixture()
def returned_report_owner(reviewer):
    company, owner = member(display_name="Zeta Tours", countries=("TH",))
    report = ready_report(company, owner)
    report_services.submit_report(report, owner, report.version, report_services.today())
    report_services.return_report(
        report, reviewer, {Section.TRAINING: "Count the drivers too."}, "", report.version
    )
    db.session.commit()
    return owner


@pytest.fixture()
def resubmitted_report(returned_report_owner):
    """Returned once, changed and submitted again: the reviewer sees what changed."""
    report = report_services.report_for(returned_report_owner.company, 2025)
    answers = complete_answers(report, trained=9)
    drafting.save_draft(report, answers, returned_report_owner, report.version)
    report_services.submit_report(
        report, returned_report_owner, report.version, report_services.today()
    )
    db.session.commit()
    return report


@pytest.fixture()
def returned_plan_owner(reviewer):
    """An approved company whose implementation plan came back with comments."""
    company = CompanyFactory(display_name="Theta Travel", countries=("TH",), stage=Stage.APPROVED)
    owner = owner_of(company, email="owner.t@example.com")
    plan = submitted_plan(company, owner)
    comments = {"training": "Count the guides too."}
    plan_services.return_plan(plan, reviewer, comments, "Nearly there.", plan.version)
    db.session.commit()
    return owner


@pytest.fixture()
def resubmitted_plan(returned_plan_owner):
    """Returned once and submitted again: the reviewer reads both versions."""
    plan = plan_services.plan_for(returned_plan_owner.company)
    plan_services.submit_plan(plan, returned_plan_owner, plan.version)
    db.session.commit()
    return plan


@pytest.fixture()
def member_owner():
    """The owner of a member that asked to change its public name."""
    company = CompanyFactory(display_name="Delta Hotels", stage=Stage.ACTIVE)
    owner = owner_of(company, email="owner.d@example.com")
    request = {"display_name": "Delta Hotels & Resorts"}
    change_requests.propose(company, request, owner)
    db.session.commit()
    return owner


@pytest.fixture()
def chain_owner():
    company = CompanyFactory(display_name="Lotus Hotels", type=CompanyType.HOTEL_CHAIN)
    company.operations = [
        Operation(country_code="TH", property_name=f"Lotus {n:02d}", city="Bangkok")
        for n in range(60)
    ]
    db.session.commit()
    return owner_of(company, email="owner.l@example.com")


@pytest.fixture()
def unconfirmed():
    return UserFactory(email="new@example.com", email_confirmed_at=None)


@pytest.fixture()
def returned_owner(reviewer):
    company = CompanyFactory(display_name="Gamma Hotels", status=ApplicationStatus.SUBMITTED)
    owner = owner_of(company, email="owner.g@example.com")
    return_application(company, reviewer, "Please add\nyour city offices.")
    db.session.commit()
    return owner


DUPLICATE_IDS = """() => {
    const seen = new Set();
    const ids = [...document.querySelectorAll("[id]")].map(e => e.id);
    return ids.filter(id => seen.has(id) || !seen.add(id));
}"""

NONE_ATTRIBUTES = """() => [...document.querySelectorAll("*")].flatMap(
    e => [...e.attributes].filter(a => a.value === "None").map(a => `${e.tagName}[${a.name}]`)
)"""


def assert_no_violations(page: Page) -> None:
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    # axe 4.x no longer reports duplicate ids, but they break <label for> and aria-describedby.
    assert page.evaluate(DUPLICATE_IDS) == [], page.url
    # A Python None handed to a WTForms widget comes out as the literal text "None".
    assert page.evaluate(NONE_ATTRIBUTES) == [], page.url


@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_page_has_no_axe_violations(screen: Screen, page: Page, browser_auth, request):
    fixtures = {name: request.getfixturevalue(name) for name in screen.needs}
    if screen.user:
        browser_auth.login(request.getfixturevalue(screen.user).email)
    response = page.goto(screen.path.format(**fixtures))
    assert response.status == screen.status
    if screen.then:
        screen.then(page)
        page.wait_for_load_state("load")  # colours are checked once the stylesheet applies
    assert_no_violations(page)


# Pages laid out otherwise on a phone: filters folded away, table rows as cards.
PHONE_SCREENS = [
    "signatories",
    "signatories, searched",
    "country",
    "country, filtered",
    "countries",
    "supplier check, results",
    "review queue",
    "report preview",
    "invoices",
    "staff invoices",
    "dashboard, report returned",
    "report questions",
]


@pytest.mark.parametrize("name", PHONE_SCREENS)
def test_phone_layout_has_no_axe_violations(name: str, page: Page, browser_auth, request):
    page.set_viewport_size({"width": 360, "height": 740})
    test_page_has_no_axe_violations(SCREENS[name], page, browser_auth, request)


def test_skip_link_is_first_and_moves_focus_to_main(page: Page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # visible while it has focus
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues from the content, not from the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_error_summary_links_move_focus_to_the_field(page: Page, browser_auth, applicant):
    browser_auth.login(applicant.email)
    page.goto("/company/apply")
    page.get_by_label("Legal name").fill("Sunrise Tours Ltd")
    page.get_by_label("Type of business").select_option(label="Tour operator")
    page.get_by_role("button", name="Submit application").click()

    summary = page.get_by_role("alert").filter(has_text="Please correct")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Public display name: This field is required.",
            "Headquarters country: Choose a country from the list.",
            "Annual revenue: Choose your annual revenue from the list.",
            "Operation 1, Country: Choose a country from the list.",
        ]
    )
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Public display name")).to_be_focused()
    expect(page.get_by_label("Public display name")).to_have_accessible_description(
        "The name travellers will see in the public list. This field is required."
    )


@pytest.fixture()
def chain_member():
    """A member hotel chain with more properties in Thailand than a country's page names."""
    return CompanyFactory(
        display_name="Orchid Hotels",
        type=CompanyType.HOTEL_CHAIN,
        stage=Stage.ACTIVE,
        operations=[
            Operation(country_code="TH", property_name=f"Orchid {n}", city="Chiang Mai")
            for n in range(8)
        ],
    )


def test_map_countries_are_links_named_by_their_members_reached_with_the_keyboard(
    page: Page, report_owner
):
    page.goto("/countries")
    thailand = page.get_by_role("link", name="Thailand: 1 member", exact=True)
    expect(thailand).to_have_attribute("href", "/countries/TH")
    expect(page.get_by_role("link", name="France: 1 member")).to_have_count(0)
    for _ in range(40):  # header, then the map's links in the order they are drawn
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "/countries/TH":
            break
    expect(thailand).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/countries/TH$"))
    expect(page.get_by_role("heading", name="Members of The Code in Thailand")).to_be_visible()


@pytest.fixture()
def former_supplier():
    """A suspended member: what the supplier check must flag."""
    return CompanyFactory(display_name="Faded Tours", stage=Stage.SUSPENDED)


@pytest.fixture()
def namesakes():
    """Two members of one name: the supplier check lists them under "Check these"."""
    return [
        CompanyFactory(display_name="Twin Tours", stage=Stage.ACTIVE, countries=(country,))
        for country in ("GB", "IE")
    ]
