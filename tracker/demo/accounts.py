"""The four demo sign-ins, one per role, so a newcomer can try every part of the tracker."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from tracker.audit import AuditEntry
from tracker.auth.models import Role, User
from tracker.auth.services import StaffAccount, create_staff, find_user
from tracker.companies.criteria import criteria
from tracker.companies.enums import CompanyType, RevenueBand
from tracker.companies.services import (
    CompanyDetails,
    OperationInput,
    SignatureInput,
    sign_code,
    submit_application,
)
from tracker.demo import billing as demo_billing
from tracker.demo.criteria import add_demo_evidence
from tracker.demo.plans import approve_demo_plan, backdate_demo_plan
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.reports import documents, drafting, services
from tracker.reports.inputs import Answers, GroupInput, TrainingInput
from tracker.reports.models import Report, Section, TravellerChannel
from tracker.reports.training import GROUP_COUNTS, StaffGroup
from tracker.review.services import approve_application

DEMO_PASSWORD = "code-demo-2026"
# The demo staff's authenticator key (base32), published in the README like the password:
# add it to an authenticator app, or print the current code with
#   .venv/bin/python -c 'import pyotp; print(pyotp.TOTP("DEMOCODEDEMOCODEDEMOCODEDEMOCODE").now())'
# Only demo-data sets it, and demo-data runs only where DEMO_DATA_ALLOWED (development, tests).
DEMO_TOTP_SECRET = "DEMOCODEDEMOCODEDEMOCODEDEMOCODE"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: Role
    note: str


DEMO_ACCOUNTS = (
    DemoAccount("admin@demo.thecode.example", Role.ADMIN, "staff admin"),
    DemoAccount("reviewer@demo.thecode.example", Role.REVIEWER, "staff reviewer"),
    DemoAccount(
        "rep.thailand@demo.thecode.example",
        Role.REPRESENTATIVE,
        "local representative for Thailand and Cambodia",
    ),
    DemoAccount(
        "owner@demo.thecode.example", Role.COMPANY, "owner of Andaman Sea Hotels, a member"
    ),
)


def ensure_demo_accounts() -> None:
    """Create the four demo sign-ins if missing (idempotent)."""
    for account in DEMO_ACCOUNTS:
        user = find_user(account.email)
        if user is not None:
            if user.is_staff and not user.has_two_factor:  # made before staff needed one
                _give_demo_second_factor(user)
            continue
        if account.role is Role.COMPANY:
            _create_demo_owner(account.email)
        else:
            _create_staff(account)


def demo_reviewer() -> User:
    """The demo reviewer, made if missing: who decided the bulk demo reports."""
    account = next(account for account in DEMO_ACCOUNTS if account.role is Role.REVIEWER)
    return find_user(account.email) or _create_staff(account)


def _create_staff(account: DemoAccount) -> User:
    countries = ("TH", "KH") if account.role is Role.REPRESENTATIVE else ()
    user = create_staff(
        StaffAccount(account.email, account.note.title(), account.role, DEMO_PASSWORD, countries)
    )
    _give_demo_second_factor(user)
    return user


def _give_demo_second_factor(user: User) -> None:
    """Turn on the published demo key, only where demo data may exist at all.

    :raises RuntimeError: under a configuration that does not allow demo data (production).
    """
    if not current_app.config["DEMO_DATA_ALLOWED"]:
        raise RuntimeError("demo sign-ins with a published key are for development only")
    user.totp_secret = DEMO_TOTP_SECRET
    user.two_factor_enabled_at = utcnow()
    db.session.flush()


def _create_demo_owner(email: str) -> None:
    """A member made through the real services, so its history shows the whole journey."""
    owner = User(email=email, name="Demo Owner", role=Role.COMPANY, email_confirmed_at=utcnow())
    owner.set_password(DEMO_PASSWORD)
    db.session.add(owner)
    details = CompanyDetails(
        legal_name="Andaman Sea Hotels Co., Ltd.",
        display_name="Andaman Sea Hotels",
        type=CompanyType.HOTEL_CHAIN,
        hq_country="TH",
        website="https://andaman.example",
        revenue_band=RevenueBand.UP_TO_50M,
        contact_name="Demo Owner",
        contact_email=email,
        operations=(
            OperationInput("TH", "Andaman Beach Resort", "Phuket"),
            OperationInput("KH", "Riverside Lodge", "Siem Reap"),
        ),
    )
    company = submit_application(owner, details)
    reviewer = demo_reviewer()
    demo_billing.fees.seed_fee_table()  # as the migrations do, should it be missing
    approve_application(company, reviewer)
    approve_demo_plan(company, owner, reviewer)
    demo_billing.settle_joining(company, reviewer)
    all_criteria = tuple(criterion.number for criterion in criteria())
    sign_code(company, owner, SignatureInput("Demo Owner", "Managing Director", all_criteria, True))
    _give_history(company, owner, reviewer)
    demo_billing.overdue_renewal(company, reviewer)


def _give_history(company, owner: User, reviewer: User) -> None:
    """Back-date the membership so the member owes the last two ended years: the year before
    last's report returned once then accepted, the last one's a draft to finish (with a later
    due date once the normal one has passed). Made through the services, then back-dated."""
    calendar, today = services.reporting_calendar(), services.today()
    last = calendar.year(calendar.containing(today).year - 1)
    before = calendar.year(last.year - 1)
    joined = _at(before.start - timedelta(days=150))
    stamps = _Stamps(company)
    company.submitted_at = company.created_at = owner.created_at = joined - timedelta(days=24)
    company.membership.joined_at = company.membership.standing_since = joined
    company.signatures[-1].signed_at = joined
    journey = (
        joined - timedelta(days=24),  # applied
        joined - timedelta(days=20),  # approved
        joined - timedelta(days=12),  # plan submitted
        joined - timedelta(days=5),  # plan approved
        joined,  # signed
    )
    backdate_demo_plan(company, journey[2], journey[3])
    joining = [entry for entry in stamps.entries() if not entry.action.startswith("invoice.")]
    for entry, moment in zip(joining, journey, strict=True):
        entry.created_at = moment
    _back_date_joining_invoice(company, joined, stamps)

    report = drafting.start_report(company, before.year, owner, today)
    drafting.save_draft(report, _answers(report, joined, (48, 10)), owner, report.version)
    name, size = _policy_document()
    report.policy_document, report.policy_document_name = name, "child-protection-policy.pdf"
    report.policy_document_size = size
    first = _at(before.due - timedelta(days=12))
    services.submit_report(report, owner, report.version, today)
    stamps.stamp(first)
    comment = "Only 10 of the 35 staff at Riverside Lodge trained: please check the figures."
    services.return_report(report, reviewer, {Section.TRAINING: comment}, "", report.version)
    stamps.stamp(first + timedelta(days=6))
    drafting.save_draft(report, _answers(report, joined, (96, 28)), owner, report.version)
    training_record = ["Andaman Sea Hotels Co., Ltd.", "Code training attendance, all properties"]
    add_demo_evidence(report, owner, _policy_pdf(training_record))
    second = first + timedelta(days=9)
    services.submit_report(report, owner, report.version, today)
    stamps.stamp(second)
    services.accept_report(report, reviewer, "Thank you: a clear report.", report.version)
    stamps.stamp(second + timedelta(days=5))
    returned, accepted = report.submissions
    returned.submitted_at, returned.decided_at = first, first + timedelta(days=6)
    accepted.submitted_at, accepted.decided_at = second, second + timedelta(days=5)
    report.submitted_at, report.updated_at = second, second + timedelta(days=5)

    draft = drafting.start_report(company, last.year, owner, today, from_last_year=True)
    answers = _answers(draft, joined, (104, None))  # the lodge's figures still to come
    drafting.save_draft(draft, answers, owner, draft.version)
    draft.created_at = min(_at(last.end + timedelta(days=20)), utcnow())
    if today > last.due:
        extension = services.grant_extension(
            company,
            last.year,
            today + timedelta(days=45),
            "New general manager at Andaman Beach Resort; the staff figures are being checked.",
            reviewer,
            today,
        )
        extension.granted_at = min(_at(last.due - timedelta(days=5)), utcnow())
        stamps.stamp(extension.granted_at)
    db.session.flush()


def _back_date_joining_invoice(company, joined: datetime, stamps: "_Stamps") -> None:
    """The joining invoice issued at approval and paid the day before signing."""
    invoice = demo_billing.services.joining_invoice(company)
    invoice.issued_at = joined - timedelta(days=3)
    invoice.due_on = invoice.issued_at.date() + timedelta(days=30)
    invoice.paid_on = invoice.recorded_at = joined - timedelta(days=1)
    invoice.paid_on = invoice.paid_on.date()
    invoice.year = joined.year
    for entry in stamps.entries():
        if entry.action == "invoice.issued":
            entry.created_at = invoice.issued_at
        elif entry.action == "invoice.paid":
            entry.created_at = invoice.recorded_at


def _answers(report: Report, joined: datetime, trained: tuple[int | None, int | None]) -> Answers:
    """Andaman Sea Hotels' answers; `trained` at the resort and at the lodge (None: not yet,
    and then the cases are not given yet either)."""
    unfinished = None in trained
    rows = []
    for row in report.training:
        count = dict(zip(("TH", "KH"), trained, strict=True))[row.country_code]  # resort, lodge
        groups = STAFF_GROUPS.get((row.country_code, count), {})  # none: figures still to come
        given = tuple(
            GroupInput(staff_group, **dict(zip(GROUP_COUNTS, counts, strict=True)))
            for staff_group, counts in groups.items()
        )
        rows.append(TrainingInput(row.id, given, hours=3.0 if given else None))
    return Answers(
        policy_adopted=True,
        policy_adopted_on=joined.date() - timedelta(days=10),
        policy_focal_person="Somchai Wong",
        policy_focal_person_role="Guest Relations Manager",
        policy_reporting_procedure="Staff tell the duty manager at once; the focal person "
        "calls the tourist police and the national child helpline (1387).",
        policy_board_approved_on=joined.date() - timedelta(days=20),
        contracts_total=42,
        contracts_with_clause=35,
        traveller_channels=(
            TravellerChannel.WEBSITE.value,
            TravellerChannel.BOOKING.value,
            TravellerChannel.ON_SITE.value,
        ),
        travellers_text="A card in every room, in Thai, Khmer and English.",
        stakeholder_organisations="ECPAT Foundation Thailand, Phuket Tourist Police",
        stakeholder_activities="A training day for tuk-tuk drivers and boat crews.",
        cases_reported=None if unfinished else 1,
        cases_text=None
        if unfinished
        else "A night porter reported a guest to the tourist police, who followed up.",
        training=tuple(rows),
    )


# Andaman Sea Hotels' training per staff group, by (country, trained in the year): employees,
# new in person, new by e-learning, refresher in person, refresher by e-learning, currently
# trained. The resort's 120 employees and the lodge's 35, front-line staff the most.
STAFF_GROUPS = {
    ("TH", 48): {
        StaffGroup.FRONT_LINE: (80, 20, 0, 0, 10, 60),
        StaffGroup.MANAGEMENT: (12, 0, 4, 0, 0, 10),
        StaffGroup.OTHER: (28, 0, 14, 0, 0, 20),
    },
    ("TH", 96): {
        StaffGroup.FRONT_LINE: (80, 30, 0, 0, 34, 72),
        StaffGroup.MANAGEMENT: (12, 0, 4, 6, 0, 12),
        StaffGroup.OTHER: (28, 0, 14, 0, 8, 24),
    },
    ("TH", 104): {
        StaffGroup.FRONT_LINE: (80, 24, 0, 0, 46, 76),
        StaffGroup.MANAGEMENT: (12, 0, 0, 10, 0, 12),
        StaffGroup.OTHER: (28, 0, 10, 0, 14, 26),
    },
    ("KH", 10): {
        StaffGroup.FRONT_LINE: (22, 6, 0, 0, 0, 15),
        StaffGroup.MANAGEMENT: (3, 0, 0, 1, 0, 3),
        StaffGroup.OTHER: (10, 0, 3, 0, 0, 6),
    },
    ("KH", 28): {
        StaffGroup.FRONT_LINE: (22, 12, 0, 0, 6, 20),
        StaffGroup.MANAGEMENT: (3, 0, 0, 2, 0, 3),
        StaffGroup.OTHER: (10, 0, 8, 0, 0, 8),
    },
}


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), UTC)


class _Stamps:
    """Back-dates the company's audit entries as the services write them, one at a time."""

    def __init__(self, company):
        self.company = company

    def entries(self) -> list[AuditEntry]:
        query = select(AuditEntry).where(AuditEntry.company_id == self.company.id)
        return list(db.session.scalars(query.order_by(AuditEntry.id)))

    def stamp(self, moment: datetime) -> None:
        self.entries()[-1].created_at = moment


def _policy_document() -> tuple[str, int]:
    """A one-page policy PDF, checked and stored as an upload is: its name and size."""
    data = _policy_pdf(
        [
            "Andaman Sea Hotels Co., Ltd.",
            "Policy on the protection of children from sexual exploitation",
            "Adopted by the board. Every employee is trained in it within three months.",
        ]
    )
    checked = documents.check_pdf(data, current_app.config["REPORT_DOCUMENT_MAX_BYTES"])
    return documents.store(data, documents.folder()), checked.size


def _policy_pdf(lines: list[str]) -> bytes:
    """A minimal PDF with `lines` of text in Helvetica (ASCII, no parentheses)."""
    text = "BT /F1 12 Tf 72 770 Td 18 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    return out + f"startxref\n{xref}\n%%EOF\n".encode()
