"""Who may open what: each role against every route; no company sees or changes another's data."""

from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from tests.factories import CompanyFactory, UserFactory, joining_invoice, owner_of
from tests.fixtures.headers import assert_no_framing
from tests.reports.test_views import pdf_bytes
from tracker.audit import AuditEntry
from tracker.auth.invitations import issue_token
from tracker.auth.models import Invitation, OwnershipOffer, Role, StaffInvitation, User
from tracker.auth.services import reset_token_payload
from tracker.billing.models import FeeBand, Invoice, InvoiceKind
from tracker.billing.services import joining_invoice as joining_invoice_of
from tracker.companies.applications import ChangeRequest, ChangeRequestStatus
from tracker.companies.change_requests import open_request
from tracker.companies.enums import ApplicationStatus, RevenueBand, Stage
from tracker.companies.models import Company, Membership
from tracker.companies.signatures import Signature
from tracker.extensions import db
from tracker.plans.models import Plan, PlanState
from tracker.reports import documents
from tracker.reports.models import Report, ReportEvidence, ReportState, Section
from tracker.reports.views import document_folder
from tracker.tokens import make_token

ROLES = (
    "anonymous",
    "owner_a",
    "colleague_a",
    "owner_b",
    "owner_m",
    "applicant",
    "reviewer",
    "admin",
    "rep_th",
    "rep_fr",
)
COMPANY_ROLES = ("owner_a", "colleague_a", "owner_b", "owner_m", "applicant")
STAFF_ROLES = ("reviewer", "admin", "rep_th", "rep_fr")

# Expected outcomes besides plain status codes.
LOGIN = "redirect to the sign-in page"
HOME = "redirect to the signed-in user's home page"

SIGNATURE = {
    "signatory_name": "Ana Lee",
    "signatory_title": "CEO",
    "authority": "y",
    "criteria_version": "2",
    **{f"criterion_{n}": "y" for n in range(1, 7)},
}


def outcomes(anonymous=LOGIN, company=403, staff=403, **per_role) -> dict[str, object]:
    """Expected outcome per role: defaults for each group, then single-role overrides."""
    result = {"anonymous": anonymous}
    result |= dict.fromkeys(COMPANY_ROLES, company)
    result |= dict.fromkeys(STAFF_ROLES, staff)
    result |= per_role
    assert set(result) == set(ROLES), set(result) ^ set(ROLES)
    return result


PUBLIC = outcomes(anonymous=200, company=200, staff=200)
GUESTS_ONLY = outcomes(anonymous=200, company=HOME, staff=HOME)
SIGNED_IN = outcomes(company=200, staff=200)
COMPANY_PAGE = outcomes(company=200, applicant=404)
PROPERTY_FORM = outcomes(company=400, applicant=404)
STAFF_PAGE = outcomes(staff=200)
IN_COUNTRY_STAFF_PAGE = outcomes(staff=200, rep_fr=404)
DECISION = outcomes(staff="/review/", rep_fr=404)
# Only ECPAT staff approve or reject: a representative is refused on the company's page.
ECPAT_DECISION = outcomes(staff="/review/", rep_th="/review/companies/{a}", rep_fr=404)


# Buttons of company A's owner on A's colleagues and invitations; other companies find nothing.
def OWNERS(outcome) -> dict[str, object]:  # noqa: N802 (reads as a constant in the table)
    return dict.fromkeys(("owner_a", "owner_b", "owner_m"), outcome)


OWNER_A_ACTION = outcomes(owner_a="/company/colleagues", owner_b=404, owner_m=404, applicant=404)


@dataclass(frozen=True)
class Case:
    method: str
    rule: str
    expected: dict[str, object]
    path: str = ""  # the rule with its variables filled in; "{a}"/"{b}" are company ids
    data: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path or self.rule}"


CONFIRM, RESET, INVITE = "{confirm_token}", "{reset_token}", "{invite_token}"
STAFF, REP_FR_ORG = "{staff_token}", "/review/representatives/{rep_fr_org}"
OWNERSHIP = "{ownership_token}"
LOGIN_PAGE, TWO_FACTOR_SETTINGS = "/account/login", "/account/two-factor/settings"
A, A_APPROVE = "/review/companies/{a}", "/review/companies/{a}/approve"
# M is a member in Thailand: staff sanctions on it, and its owner may withdraw.
M = "/review/companies/{m}"
SANCTION = outcomes(staff=M, rep_fr=404)

CASES = [
    Case("GET", "/", PUBLIC),
    Case("GET", "/healthz", PUBLIC),
    Case("GET", "/about", PUBLIC),
    Case("GET", "/privacy", PUBLIC),
    Case("GET", "/contact", PUBLIC),
    Case("GET", "/verify", PUBLIC),
    Case("GET", "/verify/<number>", PUBLIC, "/verify/{m_number}"),
    Case("GET", "/countries", PUBLIC),
    Case("GET", "/countries/<code>", PUBLIC, "/countries/TH"),
    Case("GET", "/signatories", PUBLIC),
    Case("GET", "/signatories/<slug>", PUBLIC, "/signatories/{m_slug}"),
    Case("GET", "/signatories.csv", PUBLIC),
    Case("GET", "/signatories/readable.csv", PUBLIC),
    Case("GET", "/signatories/changes.atom", PUBLIC),
    Case("GET", "/api/v1/signatories", PUBLIC),
    Case("GET", "/api/v1/signatories/<slug>", PUBLIC, "/api/v1/signatories/{m_slug}"),
    Case("GET", "/api/v1/countries", PUBLIC),
    Case("GET", "/api/v1/openapi.json", PUBLIC),
    Case("GET", "/check", PUBLIC),
    # Anyone checks a list of suppliers (and downloads it); the API takes JSON only: 415 to a form.
    Case("POST", "/check", PUBLIC, data={"suppliers": "Member Hotels"}),
    Case("POST", "/check.csv", PUBLIC, data={"suppliers": "Member Hotels"}),
    Case("POST", "/api/v1/check", outcomes(anonymous=415, company=415, staff=415)),
    Case(
        "POST",
        "/language",
        outcomes(anonymous="/", company="/", staff="/"),
        data={"language": "fr", "next": "/"},
    ),
    Case("GET", "/static/<path:filename>", PUBLIC, "/static/css/app.css"),
    Case("GET", "/account/login", GUESTS_ONLY),
    Case("POST", "/account/login", GUESTS_ONLY),
    Case("GET", "/account/register", GUESTS_ONLY),
    Case("POST", "/account/register", GUESTS_ONLY),
    Case("POST", "/account/logout", outcomes(anonymous="/", company="/", staff="/")),
    # owner_a's own (valid) link; whoever follows it lands on their own home page.
    Case(
        "GET",
        "/account/confirm/<token>",
        outcomes(anonymous="/account/login", company=HOME, staff=HOME),
        f"/account/confirm/{CONFIRM}",
    ),
    Case("POST", "/account/confirm/resend", outcomes(company=HOME, staff=HOME)),
    Case("GET", "/account/reset", PUBLIC),
    Case("POST", "/account/reset", PUBLIC),
    Case("GET", "/account/reset/<token>", PUBLIC, f"/account/reset/{RESET}"),
    Case("POST", "/account/reset/<token>", PUBLIC, f"/account/reset/{RESET}"),
    Case("GET", "/account/invitation/<token>", PUBLIC, f"/account/invitation/{INVITE}"),
    Case("POST", "/account/invitation/<token>", PUBLIC, f"/account/invitation/{INVITE}"),
    # The second factor: its code page needs a password given first (tests/auth/test_two_factor.py).
    Case("GET", "/account/two-factor/", outcomes(company=HOME, staff=HOME)),
    Case("POST", "/account/two-factor/", outcomes(company=HOME, staff=HOME)),
    Case("POST", "/account/two-factor/cancel", outcomes(company=LOGIN_PAGE, staff=LOGIN_PAGE)),
    Case("GET", "/account/two-factor/setup", outcomes(company=200, staff=TWO_FACTOR_SETTINGS)),
    Case("POST", "/account/two-factor/setup", outcomes(company=200, staff=TWO_FACTOR_SETTINGS)),
    Case("GET", "/account/two-factor/settings", SIGNED_IN),
    # Without a code: refused as a bad form, for company users (none set up) and staff alike.
    Case("POST", "/account/two-factor/disable", outcomes(company=400, staff=400)),
    Case("POST", "/account/two-factor/recovery-codes", outcomes(company=400, staff=400)),
    Case("GET", "/account/password", SIGNED_IN),
    Case("POST", "/account/password", SIGNED_IN),
    Case("GET", "/company/", outcomes(company=200)),
    Case(
        "GET",
        "/company/apply",
        outcomes(company="/company/", applicant=200),
    ),
    Case("POST", "/company/apply", outcomes(company="/company/", applicant=200)),
    Case("GET", "/company/edit", COMPANY_PAGE),
    Case("POST", "/company/edit", COMPANY_PAGE),
    # A is still under review (so its owner may not sign yet); B is approved.
    Case("GET", "/company/sign", outcomes(company=403, owner_b=200, applicant=404)),
    Case("POST", "/company/sign", outcomes(company=403, owner_b=200, applicant=404)),
    Case("GET", "/company/properties", COMPANY_PAGE),
    # Refused input (an unknown country, no row named) shows who got as far as the form.
    Case("POST", "/company/properties", PROPERTY_FORM, data={"country_code": "XX"}),
    Case("POST", "/company/properties/remove", PROPERTY_FORM),
    Case("GET", "/company/properties/import", COMPANY_PAGE),
    Case("POST", "/company/properties/import", COMPANY_PAGE),
    Case("GET", "/company/properties.csv", COMPANY_PAGE),
    # Each owner chooses what the public sees of its company; colleagues may not.
    Case("GET", "/company/publication", outcomes(company=403, **OWNERS(200), applicant=404)),
    Case(
        "POST", "/company/publication", outcomes(company=403, **OWNERS("/company/"), applicant=404)
    ),
    Case("GET", "/company/colleagues", COMPANY_PAGE),
    Case("POST", "/company/colleagues", COMPANY_PAGE),
    Case(
        "POST",
        "/company/colleagues/invitations/<int:invitation_id>/resend",
        OWNER_A_ACTION,
        "/company/colleagues/invitations/{invitation}/resend",
    ),
    Case(
        "POST",
        "/company/colleagues/invitations/<int:invitation_id>/cancel",
        OWNER_A_ACTION,
        "/company/colleagues/invitations/{invitation}/cancel",
    ),
    Case(
        "POST",
        "/company/colleagues/<int:user_id>/remove",
        OWNER_A_ACTION,
        "/company/colleagues/{colleague_a}/remove",
    ),
    Case(
        "POST",
        "/company/colleagues/<int:user_id>/transfer",
        OWNER_A_ACTION,
        "/company/colleagues/{colleague_a}/transfer",
    ),
    Case(
        "POST",
        "/company/colleagues/ownership-offers/<int:offer_id>/withdraw",
        OWNER_A_ACTION,
        "/company/colleagues/ownership-offers/{offer}/withdraw",
    ),
    # Only the colleague the offer names may use it; other company users are sent home.
    Case(
        "GET",
        "/company/ownership/<token>",
        outcomes(company="/company/", colleague_a=200),
        f"/company/ownership/{OWNERSHIP}",
    ),
    Case(
        "POST",
        "/company/ownership/<token>",
        outcomes(company="/company/", colleague_a="/company/colleagues"),
        f"/company/ownership/{OWNERSHIP}",
    ),
    Case("GET", "/review/", STAFF_PAGE),
    Case("GET", "/review/staff", outcomes(admin=200)),
    Case(
        "POST",
        "/review/staff/invite",
        outcomes(admin="/review/staff"),
        data={"email": "new.staff@example.com", "role": "reviewer"},
    ),
    Case("GET", "/review/representatives", outcomes(admin=200)),
    Case(
        "POST",
        "/review/representatives/permissions",
        outcomes(admin="/review/representatives"),
        data={"return_application": "y"},
    ),
    Case("GET", "/review/representatives/new", outcomes(admin=200)),
    # Nothing filled in: refused beside the fields.
    Case("POST", "/review/representatives/new", outcomes(admin=200)),
    Case("GET", "/review/representatives/<int:representative_id>", outcomes(admin=200), REP_FR_ORG),
    Case(
        "POST",
        "/review/representatives/<int:representative_id>",
        outcomes(admin="/review/representatives"),
        REP_FR_ORG,
        {"name": "Child Safe France", "countries": ["FR", "BE"]},
    ),
    # ECPAT staff assign; a representative is refused with a message on the company's page.
    Case(
        "POST",
        "/review/companies/<int:company_id>/representative",
        SANCTION,
        M + "/representative",
        {"representative": ""},
    ),
    # M is a member, not an application: nothing to recommend, said on its page.
    Case(
        "POST",
        "/review/companies/<int:company_id>/recommend",
        SANCTION,
        M + "/recommend",
        {"comment": "Ready."},
    ),
    Case(
        "POST",
        "/review/staff/<int:user_id>/deactivate",
        outcomes(admin="/review/staff"),
        "/review/staff/{rep_fr}/deactivate",
    ),
    Case(
        "POST",
        "/review/staff/<int:user_id>/reactivate",
        outcomes(admin="/review/staff"),
        "/review/staff/{rep_fr}/reactivate",
    ),
    Case(
        "POST",
        "/review/staff/invitations/<int:invitation_id>/withdraw",
        outcomes(admin="/review/staff"),
        "/review/staff/invitations/{staff_invitation}/withdraw",
    ),
    Case(
        "POST",
        "/review/staff/<int:user_id>/two-factor-reset",
        outcomes(admin="/review/staff"),
        "/review/staff/{rep_fr}/two-factor-reset",
    ),
    # Anyone holding the e-mailed link may join; whoever was signed in is signed in as the new
    # staff member (as with a colleague's invitation).
    Case("GET", "/account/staff-invitation/<token>", PUBLIC, f"/account/staff-invitation/{STAFF}"),
    Case(
        "POST",
        "/account/staff-invitation/<token>",
        outcomes(anonymous="/review/", company="/review/", staff="/review/"),
        f"/account/staff-invitation/{STAFF}",
        {"name": "New Staff", "password": "long enough pw", "confirm": "long enough pw"},
    ),
    Case("GET", "/review/companies/<int:company_id>", IN_COUNTRY_STAFF_PAGE, A),
    Case(
        "GET",
        "/review/companies/<int:company_id>",
        outcomes(staff=200, rep_th=404),
        "/review/companies/{b}",
    ),
    Case(
        "POST",
        "/review/companies/<int:company_id>/approve",
        ECPAT_DECISION,
        A_APPROVE,
        {"confirmed": "yes"},
    ),
    Case(
        "POST",
        "/review/companies/<int:company_id>/return",
        DECISION,
        "/review/companies/{a}/return",
        {"comment": "Add your Cambodian office."},
    ),
    Case(
        "POST",
        "/review/companies/<int:company_id>/reject",
        ECPAT_DECISION,
        "/review/companies/{a}/reject",
        {"reason": "Not a travel company."},
    ),
    Case(
        "POST",
        "/review/companies/<int:company_id>/suspend",
        SANCTION,
        M + "/suspend",
        {"suspend_reason": "Overdue."},
    ),
    # Not suspended: the table refuses, and the reviewer is sent back to the company.
    Case("POST", "/review/companies/<int:company_id>/reinstate", SANCTION, M + "/reinstate"),
    Case(
        "POST",
        "/review/companies/<int:company_id>/expel",
        outcomes(admin=M),
        M + "/expel",
        {"expel_reason": "Exploitation found.", "expel_confirm": "y"},
    ),
    Case(
        "POST", "/review/companies/<int:company_id>/change/approve", SANCTION, M + "/change/approve"
    ),
    Case(
        "POST",
        "/review/companies/<int:company_id>/properties/publish",
        SANCTION,
        M + "/properties/publish",
    ),
    Case(
        "POST",
        "/review/companies/<int:company_id>/change/return",
        SANCTION,
        M + "/change/return",
        {"change_comment": "Use the registered name."},
    ),
    Case("GET", "/company/withdraw", outcomes(company=403, owner_m=200, applicant=404)),
    Case(
        "POST",
        "/company/withdraw",
        outcomes(company=403, owner_m="/company/", applicant=404),
        data={"reason": "We sold the hotel.", "confirmed": "yes"},
    ),
    # Only a member's people print its certificate: A is under review, B approved, not signed.
    Case("GET", "/company/certificate", outcomes(company=403, owner_m=200, applicant=404)),
]

# Annual reports: M has a 2025 draft with a policy document; other companies have none.
R, MR = "/review/reports/{r}", "/company/reports/2025"
M_REPORT_PAGE = outcomes(company=404, owner_m=200)
REPORT_DECISION = outcomes(staff=R, rep_fr=404)
ECPAT_PAGE = outcomes(reviewer=200, admin=200)
ECPAT_DECISION = outcomes(
    reviewer="/review/top-members/?year=2025", admin="/review/top-members/?year=2025"
)
CASES += [
    Case("GET", "/company/reports/", outcomes(company=200, applicant=404)),
    # The report's questions, from the approval on: A is under review, B approved, M a member.
    Case(
        "GET",
        "/company/reports/questions",
        outcomes(company=403, owner_b=200, owner_m=200, applicant=404),
    ),
    Case(
        "POST",
        "/company/reports/<int:year>/start",
        # Not members yet: no 2025 report for them; M has one, which opens.
        outcomes(company="/company/reports/", owner_m=MR, applicant=404),
        "/company/reports/2025/start",
        {"start_from": "blank"},
    ),
    Case("GET", "/company/reports/<int:year>", M_REPORT_PAGE, MR),
    # An empty draft saved (M's draft has no training rows yet), back to the form.
    Case("POST", "/company/reports/<int:year>", outcomes(company=404, owner_m=MR), MR),
    Case("GET", "/company/reports/<int:year>/preview", M_REPORT_PAGE, MR + "/preview"),
    Case(
        "POST",
        "/company/reports/<int:year>/submit",
        outcomes(company=404, owner_m=MR + "/preview"),
        MR + "/submit",
    ),
    Case("GET", "/company/reports/<int:year>/print", M_REPORT_PAGE, MR + "/print"),
    Case("GET", "/company/reports/<int:year>/policy", M_REPORT_PAGE, MR + "/policy"),
    Case("GET", "/company/reports/<int:year>/training.csv", M_REPORT_PAGE, MR + "/training.csv"),
    Case(
        "GET", "/company/reports/<int:year>/training/import", M_REPORT_PAGE, MR + "/training/import"
    ),
    # Nothing pasted or uploaded: refused beside the field.
    Case(
        "POST",
        "/company/reports/<int:year>/training/import",
        outcomes(company=404, owner_m=400),
        MR + "/training/import",
    ),
    Case("GET", "/review/reports/", STAFF_PAGE),
    Case("GET", "/review/reports/dashboard", STAFF_PAGE),
    Case("GET", "/review/reports/implementation", STAFF_PAGE),
    Case(
        "GET",
        "/review/reports/<int:report_id>/evidence/<int:evidence_id>",
        IN_COUNTRY_STAFF_PAGE,
        R + "/evidence/{e}",
    ),
    # Evidence of M's draft: a post without a file is 400 for its owner, others find nothing.
    Case(
        "POST",
        "/company/reports/<int:year>/evidence",
        outcomes(company=404, owner_m=400),
        MR + "/evidence",
    ),
    Case(
        "POST",
        "/company/reports/<int:year>/evidence/<int:evidence_id>/remove",
        outcomes(company=404, owner_m=MR + "#evidence"),
        MR + "/evidence/{e}/remove",
    ),
    Case(
        "GET",
        "/company/reports/<int:year>/evidence/<int:evidence_id>",
        M_REPORT_PAGE,
        MR + "/evidence/{e}",
    ),
    Case(
        "GET",
        "/review/reports/dashboard/<name>.csv",
        STAFF_PAGE,
        "/review/reports/dashboard/overdue.csv",
    ),
    Case("GET", "/review/reports/<int:report_id>", IN_COUNTRY_STAFF_PAGE, R),
    Case("GET", "/review/reports/<int:report_id>/policy", IN_COUNTRY_STAFF_PAGE, R + "/policy"),
    # A draft: nothing to decide, and the reviewer is sent back to the report.
    Case("POST", "/review/reports/<int:report_id>/accept", REPORT_DECISION, R + "/accept"),
    Case(
        "POST",
        "/review/reports/<int:report_id>/recommend",
        REPORT_DECISION,
        R + "/recommend",
        {"comment": "Complete."},
    ),
    Case(
        "POST",
        "/review/reports/<int:report_id>/return",
        REPORT_DECISION,
        R + "/return",
        {"comment_training": "Count every hotel."},
    ),
    # M joined today: it owes no 2025 report (400 beside the field).
    Case(
        "POST",
        "/review/reports/companies/<int:company_id>/extension",
        outcomes(staff=400, rep_fr=404),
        "/review/reports/companies/{m}/extension",
        {"year": "2025", "due_on": "2027-01-31", "reason": "Flood"},
    ),
    # Top Members: ECPAT staff only, never representatives, even of the member's country. M has
    # no accepted 2025 report, so it cannot be named (nor has a title to withdraw).
    Case("GET", "/review/top-members/", ECPAT_PAGE),
    Case(
        "POST",
        "/review/top-members/<int:year>/<int:company_id>",
        ECPAT_DECISION,
        "/review/top-members/2025/{m}",
    ),
    Case(
        "POST",
        "/review/top-members/<int:year>/<int:company_id>/withdraw",
        ECPAT_DECISION,
        "/review/top-members/2025/{m}/withdraw",
        {"c{m}-reason": "Complaint"},
    ),
]

# Implementation plans: B (approved, in France) has a draft plan; nothing waits for a decision.
P = "/review/plans/{p}"
PLAN_DECISION = outcomes(staff=P, rep_th=404)
CASES += [
    Case("GET", "/company/plan", outcomes(company=403, owner_b=200, applicant=404)),
    Case(
        "POST",
        "/company/plan",
        outcomes(company=403, owner_b="/company/plan", applicant=404),
        # Version 1: the draft as the fixture made it.
        data={"version": "1", "policy_action": "Adopt a policy.", "save": "1"},
    ),
    Case("GET", "/review/plans/", STAFF_PAGE),
    Case("GET", "/review/plans/<int:plan_id>", outcomes(staff=200, rep_th=404), P),
    # Only ECPAT staff approve: representatives are refused whatever the country.
    Case(
        "POST",
        "/review/plans/<int:plan_id>/approve",
        outcomes(reviewer=P, admin=P, rep_th=403, rep_fr=403),
        P + "/approve",
    ),
    Case(
        "POST",
        "/review/plans/<int:plan_id>/return",
        PLAN_DECISION,
        P + "/return",
        {"comment_training": "Count the guides."},
    ),
]

# Billing: B's joining invoice (paid, by the factory) for its people; M's renewal awaits payment.
IM = "/review/invoices/{im}"
SETTLE = outcomes(reviewer=IM, admin=IM, rep_th=403, rep_fr=404)
CASES += [
    Case("GET", "/company/invoices/", outcomes(company=200, applicant=404)),
    Case(
        "GET",
        "/company/invoices/<number>",
        outcomes(company=404, owner_b=200),
        "/company/invoices/{b_invoice}",
    ),
    # Owners confirm their band for a renewal; none is due for these (M joined this year).
    Case(
        "POST",
        "/company/invoices/renew",
        outcomes(company="/company/invoices/", colleague_a=403, applicant=404),
        data={"year": "2026", "confirmed": "y"},
    ),
    Case("GET", "/review/invoices", STAFF_PAGE),
    Case("GET", "/review/invoices/<int:invoice_id>", outcomes(staff=200, rep_fr=404), IM),
    Case(
        "POST",
        "/review/invoices/<int:invoice_id>/pay",
        SETTLE,
        IM + "/pay",
        {"paid_on": "2026-01-15", "method": "bank_transfer", "reference": "SWIFT 42"},
    ),
    Case(
        "POST",
        "/review/invoices/<int:invoice_id>/waive",
        SETTLE,
        IM + "/waive",
        {"reason": "Hardship after the floods."},
    ),
    Case(
        "POST",
        "/review/invoices/<int:invoice_id>/cancel",
        SETTLE,
        IM + "/cancel",
        {"reason": "Issued on the wrong revenue band."},
    ),
    # M's renewal stands (not a cancelled joining invoice): staff are sent back to it.
    Case("POST", "/review/invoices/<int:invoice_id>/reissue", SETTLE, IM + "/reissue"),
    # No discount exists: the choice is refused beside the field.
    Case(
        "POST",
        "/review/invoices/<int:invoice_id>/discount",
        outcomes(reviewer=400, admin=400, rep_th=403, rep_fr=404),
        IM + "/discount",
        {"discount": "1"},
    ),
    Case("GET", "/review/fees", outcomes(admin=200)),
    # The same fee saved again: nothing changes for the tests that follow.
    Case(
        "POST",
        "/review/fees/<int:fee_id>",
        outcomes(admin="/review/fees"),
        "/review/fees/{fee}",
        {"amount": "50", "currency": "EUR"},
    ),
    Case(
        "POST",
        "/review/fees/discounts",
        outcomes(admin="/review/fees"),
        data={"name": "Partner", "kind": "percentage", "value": "20", "reason": "Partner body"},
    ),
]

MATRIX = [pytest.param(case, role, id=f"{case.id} as {role}") for case in CASES for role in ROLES]


@pytest.fixture()
def people(company_a, owner_a, company_b, owner_b, applicant, reviewer, admin, rep_th, rep_fr):
    colleague_a = UserFactory(company=company_a, email="colleague.a@example.com")
    company_m = CompanyFactory(display_name="Member Hotels", countries=("TH",), stage=Stage.ACTIVE)
    owner_m = owner_of(company_m, email="owner.m@example.com")
    # M asked to change its public name; staff approve or return that.
    db.session.add(
        ChangeRequest(
            company=company_m,
            requested_by_id=owner_m.id,
            status=ChangeRequestStatus.PENDING,
            proposed={"display_name": "Member Hotels Group"},
        )
    )
    report_m = Report(company=company_m, year=2025, state=ReportState.DRAFT)
    report_m.policy_document = documents.store(pdf_bytes(), document_folder())
    report_m.policy_document_name = "policy.pdf"
    evidence_m = ReportEvidence(
        section=Section.TRAINING,
        stored=documents.store(pdf_bytes(), document_folder()),
        name="certificate.pdf",
        size=100,
        content_type="application/pdf",
    )
    report_m.evidence.append(evidence_m)
    db.session.add(report_m)
    plan_b = Plan(company=company_b, year=2026, state=PlanState.DRAFT)
    db.session.add(plan_b)
    db.session.commit()
    invoice_m = joining_invoice(company_m, paid=False, kind=InvoiceKind.RENEWAL)
    return SimpleNamespace(
        plan_b=plan_b,
        invoice_m=invoice_m,
        report_m=report_m,
        evidence_m=evidence_m,
        company_a=company_a,
        company_b=company_b,
        owner_a=owner_a,
        colleague_a=colleague_a,
        owner_b=owner_b,
        company_m=company_m,
        owner_m=owner_m,
        applicant=applicant,
        reviewer=reviewer,
        admin=admin,
        rep_th=rep_th,
        rep_fr=rep_fr,
    )


def sign_in(auth, user: User | None) -> None:
    if user is not None:
        response = auth.login(user.email)
        assert response.status_code == 302, f"{user.email} could not sign in"


def db_state() -> tuple:
    """Everything a request could change, to compare before and after a refused one."""
    db.session.expire_all()
    companies = db.session.execute(
        select(Company.id, Company.status, Membership.standing, Company.legal_name, Company.version)
        .outerjoin(Membership)
        .order_by(Company.id)
    ).all()
    counts = [
        db.session.scalar(select(func.count()).select_from(model))
        for model in (User, AuditEntry, Signature, Invitation)
    ]
    requests = db.session.execute(select(ChangeRequest.id, ChangeRequest.status)).all()
    reports = db.session.execute(
        select(Report.id, Report.state, Report.version).order_by(Report.id)
    ).all()
    plans = db.session.execute(select(Plan.id, Plan.state, Plan.version).order_by(Plan.id)).all()
    invoices = db.session.execute(
        select(Invoice.id, Invoice.state, Invoice.version).order_by(Invoice.id)
    ).all()
    fees = db.session.execute(select(FeeBand.band, FeeBand.amount, FeeBand.version)).all()
    billing = (tuple(invoices), tuple(sorted(fees)))
    return (
        tuple(companies),
        tuple(counts),
        tuple(requests),
        tuple(reports),
        tuple(plans),
        billing,
    )


def fill(path: str, people) -> str:
    invitation = Invitation(
        company=people.company_a, email="new.colleague@example.com", invited_by=people.owner_a
    )
    staff_invitation = StaffInvitation(
        email="new.staff@example.com", role=Role.REVIEWER, invited_by=people.admin
    )
    offer = OwnershipOffer(
        company=people.company_a, offered_by=people.owner_a, offered_to=people.colleague_a
    )
    for row in (invitation, staff_invitation, offer):
        issue_token(row)
    db.session.add_all([invitation, staff_invitation, offer])
    db.session.commit()
    return path.format(
        rep_fr=people.rep_fr.id,
        rep_fr_org=people.rep_fr.representative_id,
        invitation=invitation.id,
        colleague_a=people.colleague_a.id,
        offer=offer.id,
        staff_invitation=staff_invitation.id,
        ownership_token=offer.token,
        staff_token=staff_invitation.token,
        a=people.company_a.id,
        b=people.company_b.id,
        m=people.company_m.id,
        r=people.report_m.id,
        p=people.plan_b.id,
        e=people.evidence_m.id,
        im=people.invoice_m.id,
        b_invoice=joining_invoice_of(people.company_b).number,
        fee=db.session.scalar(select(FeeBand.id).where(FeeBand.band == RevenueBand.UP_TO_500K)),
        m_number=people.company_m.membership_number,
        m_slug=people.company_m.slug,
        confirm_token=make_token(
            "confirm", {"id": people.owner_a.id, "email": people.owner_a.email}
        ),
        reset_token=make_token("reset", reset_token_payload(people.owner_a)),
        invite_token=invitation.token,
    )


def home_of(user: User | None) -> str:
    return "/review/" if user.is_staff else "/company/"


@pytest.mark.parametrize(("case", "role"), MATRIX)
def test_access(client, auth, people, case: Case, role: str):
    user = getattr(people, role, None)
    path = fill(case.path or case.rule, people)
    sign_in(auth, user)
    before = db_state()

    # Decisions name the version of A the reviewer read (unless the case names its own);
    # other forms ignore the extra field.
    data = {key.replace("{m}", str(people.company_m.id)): value for key, value in case.data.items()}
    data = {"version": str(people.company_a.version), **data}
    response = client.get(path) if case.method == "GET" else client.submit(path, data)
    response.close()
    assert_no_framing(response)  # every route, allowed or refused, forbids framing

    expected = case.expected[role]
    if isinstance(expected, str):
        expected = expected.replace("{m}", str(people.company_m.id))
        expected = expected.replace("{r}", str(people.report_m.id))
        expected = expected.replace("{p}", str(people.plan_b.id))
        expected = expected.replace("{im}", str(people.invoice_m.id))
        expected = expected.replace("{a}", str(people.company_a.id))
    if expected == LOGIN:
        assert response.status_code == 302
        assert urlsplit(response.location).path == "/account/login"
    elif expected == HOME:
        assert response.status_code == 302
        assert response.location == home_of(user)
    elif isinstance(expected, str):
        assert response.status_code == 302
        assert response.location == expected
    else:
        assert response.status_code == expected, response.get_data(as_text=True)[:500]
    if expected in (LOGIN, 403, 404):
        assert db_state() == before, "a refused request changed the database"


def test_matrix_covers_every_route(app):
    """Adding a route without adding it to CASES fails here, so nothing ships unlisted."""
    routes = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(case.rule, case.method) for case in CASES}
    assert routes - covered == set(), "routes missing from the authorization matrix"
    assert covered - routes == set(), "matrix entries for routes that no longer exist"


def queue_names(client, query: str = "") -> str:
    response = client.get(f"/review/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["", "?status=", "?status=submitted&country=TH", "?q=Alpha"])
def test_representative_queue_is_limited_to_their_countries(client, auth, people, query):
    auth.login(people.rep_th.email)
    assert "Alpha Tours" in queue_names(client, query)
    auth.logout()
    auth.login(people.rep_fr.email)
    assert "Alpha Tours" not in queue_names(client, query)
    assert "Beta Hotels" in queue_names(client, "?status=")


def test_reviewer_and_admin_see_every_company(client, auth, people):
    for staff in (people.reviewer, people.admin):
        auth.login(staff.email)
        page = queue_names(client, "?status=")
        assert "Alpha Tours" in page and "Beta Hotels" in page
        auth.logout()


@pytest.mark.parametrize("path", ["/company/", "/company/colleagues"])
def test_company_user_sees_only_its_own_company(client, auth, people, path):
    auth.login(people.owner_b.email)
    page = client.get(path).get_data(as_text=True)
    assert "Beta Hotels" in page
    for other in ("Alpha Tours", people.company_a.legal_name, "owner.a@example.com"):
        assert other not in page
    if path == "/company/colleagues":
        assert "owner.b@example.com" in page
        assert "colleague.a@example.com" not in page


def test_company_routes_ignore_ids_smuggled_in_the_request(client, auth, people):
    """Company routes take no id: an id in the query string or form is simply not used."""
    a_id, b_id = people.company_a.id, people.company_b.id
    before_a = db.session.execute(select(Company.legal_name, Company.version).filter_by(id=a_id))
    before_a = before_a.one()
    auth.login(people.owner_b.email)
    form = {
        "company_id": a_id,
        "id": a_id,
        "legal_name": "Taken Over Ltd",
        "display_name": "Taken Over",
        "type": "hotel",
        "hq_country": "FR",
        "revenue_band": "up_to_500k",
        "contact_name": "Bea",
        "contact_email": "bea@example.com",
        "operations-0-country_code": "FR",
        "operations-0-property_name": "Beta Paris",
        "operations-0-city": "Paris",
    }
    response = client.submit(f"/company/edit?company_id={a_id}&id={a_id}", form)
    assert response.status_code == 302
    response = client.submit(f"/company/sign?company_id={a_id}", {**SIGNATURE, "company_id": a_id})
    assert response.status_code == 302

    company_a, company_b = db.session.get(Company, a_id), db.session.get(Company, b_id)
    assert (company_a.legal_name, company_a.version) == tuple(before_a)
    assert company_a.status is ApplicationStatus.SUBMITTED and not company_a.signatures
    # B is approved: its change of legal name waits for review, as B's own request.
    assert open_request(company_b).proposed["legal_name"] == "Taken Over Ltd"
    assert open_request(company_a) is None
    assert company_b.is_member


@pytest.mark.parametrize("role", COMPANY_ROLES)
@pytest.mark.parametrize(
    ("decision", "data"),
    [("approve", {}), ("return", {"comment": "Fix it"}), ("reject", {"reason": "No"})],
)
def test_company_users_cannot_decide(client, auth, people, role, decision, data):
    auth.login(getattr(people, role).email)
    before = db_state()
    for company in (people.company_a, people.company_b):
        response = client.submit(f"/review/companies/{company.id}/{decision}", data)
        assert response.status_code == 403
    assert db_state() == before
    assert db.session.get(Company, people.company_a.id).status is ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("decision", ["approve", "return", "reject"])
def test_representative_out_of_country_cannot_decide(client, auth, people, decision):
    auth.login(people.rep_fr.email)
    before = db_state()
    response = client.submit(f"/review/companies/{people.company_a.id}/{decision}", {"reason": "x"})
    assert response.status_code == 404
    assert db_state() == before


def test_non_owner_colleague_cannot_sign(client, auth, people):
    company = people.company_a
    company.status = ApplicationStatus.APPROVED
    db.session.commit()
    auth.login(people.colleague_a.email)
    assert client.get("/company/sign").status_code == 403
    assert client.submit("/company/sign", SIGNATURE).status_code == 403
    company = db.session.get(Company, company.id)
    assert company.status is ApplicationStatus.APPROVED and not company.signatures
    auth.logout()
    auth.login(people.owner_a.email)
    assert client.get("/company/sign").status_code == 200


@pytest.mark.parametrize("stage", [stage for stage in Stage if stage is not Stage.APPROVED])
def test_owner_cannot_sign_unless_approved(client, auth, stage):
    company = CompanyFactory(stage=stage)
    owner = owner_of(company)
    auth.login(owner.email)
    before = db_state()
    assert client.get("/company/sign").status_code == 403
    assert client.submit("/company/sign", SIGNATURE).status_code == 403
    assert db_state() == before


def test_staff_cannot_use_company_pages_even_with_a_company_in_the_form(client, auth, people):
    auth.login(people.admin.email)
    before = db_state()
    for path in ("/company/edit", "/company/sign", "/company/apply", "/company/colleagues"):
        response = client.submit(path, {**SIGNATURE, "company_id": people.company_b.id})
        assert response.status_code == 403
    assert db_state() == before
