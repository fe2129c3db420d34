"""Staff pages in French and Spanish: representatives work in their own language, so no English
text is left on them, and dates and waiting times are written by Babel in that language."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from tests.factories import CompanyFactory, owner_of, representative, staff
from tests.fixtures.two_factor import two_factor_columns
from tests.plans.helpers import complete_input as complete_plan
from tests.reports.helpers import member as report_member
from tests.reports.helpers import ready_report
from tracker.auth.models import Role
from tracker.billing.models import Invoice
from tracker.companies.enums import Stage
from tracker.extensions import db
from tracker.languages.selection import LANGUAGE_COOKIE
from tracker.plans import services as plan_services
from tracker.reports import services as report_services
from tracker.reports.models import Section
from tracker.staff import services as staff_services

# Words and phrases of the English pages: none may stay on a page in another language. Company,
# people's and country names are data, so the test's data has no English words.
ENGLISH = re.compile(
    r"\b(the|and|of|for|waiting|days?|Create my account|Applications?|Status|Filter|Submitted"
    r"|Back to|Decide|People|Invoices?|Members?|Staff|Send invitation|Reports?|Page"
    r"|None)\b"
)
# The title ECPAT gives is a name, written in English in every language.
NAMES = re.compile(r"\bTop Members?\b")
DATA = {"display_name": "Empresa Uno", "legal_name": "Empresa Uno SL", "countries": ("ES", "FR")}

# What each language writes for a wait of three days and for the submission date's month.
WAITING = {"fr": "en attente depuis 3 jours", "es": "en espera desde hace 3 días"}


def visible_text(page: str) -> str:
    """The words a reader sees in the page's main part (not the shared header and footer)."""
    main = re.search(r"<main\b.*?</main>", page, re.S).group(0)
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    labels = " ".join(re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"', main))
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main) + " " + labels).split())


def english_left(text: str) -> list[str]:
    return sorted({match.group(0) for match in ENGLISH.finditer(NAMES.sub("", text))})


@pytest.fixture()
def waiting_company():
    company = CompanyFactory(submitted_at=datetime.now(UTC) - timedelta(days=3, hours=1), **DATA)
    owner_of(company, name="Ana Pérez")
    return company


@pytest.fixture()
def member():
    company = CompanyFactory(
        stage=Stage.ACTIVE,
        display_name="Hoteles Dos",
        legal_name="Hoteles Dos SA",
        countries=("ES",),
    )
    owner_of(company, name="Luis Gómez")
    return company


def read(client, path: str, language: str) -> str:
    client.set_cookie(LANGUAGE_COOKIE, language)
    response = client.get(path)
    assert response.status_code == 200, path
    page = response.get_data(as_text=True)
    assert f'<html lang="{language}">' in page
    return page


@pytest.fixture()
def rep_es():
    """A Local Code Representative for Spain, where the test's companies operate."""
    return staff(Role.REPRESENTATIVE, ("ES",), email="rep.es@example.com", **two_factor_columns())


@pytest.mark.parametrize("language", ["fr", "es"])
def test_a_representatives_queue_is_in_the_language_with_babels_dates(
    client, auth, rep_es, waiting_company, language
):
    auth.login(rep_es.email)
    text = visible_text(read(client, "/review/", language))
    assert WAITING[language] in text
    assert format_date(waiting_company.submitted_at, "medium", locale=language) in text
    assert english_left(text) == []
    company_page = read(client, f"/review/companies/{waiting_company.id}", language)
    assert english_left(visible_text(company_page)) == []


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize(
    "path",
    [
        "/review/companies/{waiting}",
        "/review/companies/{member}",
        "/review/plans/",
        "/review/reports/",
        "/review/reports/dashboard",
        "/review/reports/implementation",
        "/review/invoices",
        "/review/invoices/{invoice}",
        "/review/top-members/",
        "/review/representatives/new",
        "/review/fees",
        "/review/staff",
        "/review/representatives",
    ],
)
def test_staff_pages_leave_no_english(client, auth, admin, waiting_company, member, language, path):
    representative("Fundación Tres", ("ES",))
    db.session.commit()
    auth.login(admin.email)
    invoice = db.session.scalar(select(Invoice.id).where(Invoice.company_id == member.id))
    where = path.format(waiting=waiting_company.id, member=member.id, invoice=invoice)
    page = read(client, where, language)
    assert english_left(visible_text(page)) == []


@pytest.mark.parametrize(
    ("language", "button", "role"),
    [
        ("fr", "Créer mon compte", "Représentant local de The Code"),
        ("es", "Crear mi cuenta", "Representante local de The Code"),
    ],
)
def test_an_invited_representative_joins_in_the_language(client, admin, language, button, role):
    organisation = representative("Fundación Tres", ("ES",))
    invitation = staff_services.invite_staff(
        admin, "maria@fundacion.example", Role.REPRESENTATIVE, organisation
    )
    db.session.commit()
    text = visible_text(read(client, f"/account/staff-invitation/{invitation.token}", language))
    assert button in text and role in text and "Fundación Tres" in text
    assert english_left(text) == []


@pytest.mark.parametrize("language", ["fr", "es"])
def test_plan_and_report_reviews_leave_no_english(client, auth, reviewer, language):
    """A plan returned then resubmitted, and a report returned: versions, comments, decisions."""
    approved = CompanyFactory(stage=Stage.APPROVED, display_name="Viajes Cuatro", countries=("ES",))
    planner = owner_of(approved, name="Eva Ruiz")
    plan = plan_services.start_plan(approved, planner)
    plan_services.save_draft(plan, complete_plan(), planner, plan.version)
    plan_services.submit_plan(plan, planner, plan.version)
    plan_services.return_plan(plan, reviewer, {"training": "Más guías."}, "Casi.", plan.version)
    plan_services.submit_plan(plan, planner, plan.version)
    company, owner = report_member(countries=("ES",))
    report = ready_report(company, owner)
    report_services.submit_report(report, owner, report.version, report_services.today())
    report_services.return_report(
        report, reviewer, {Section.TRAINING: "Más."}, "Casi.", report.version
    )
    db.session.commit()
    auth.login(reviewer.email)
    for path in (f"/review/plans/{plan.id}", f"/review/reports/{report.id}"):
        text = visible_text(read(client, path, language))
        # The member's own answer, in English in tests.reports.helpers: data, not the page's text.
        text = text.replace("Staff tell the duty manager, who calls the police.", "")
        assert english_left(text) == [], path
