"""The member dashboard: the next report first in "Where you are", and everything ECPAT sent
back in "Needs your attention" above the rest."""

import html
import re
from datetime import date

import pytest

from tests.factories import CompanyFactory, owner_of
from tests.fixtures.applications import return_for_changes
from tests.plans.helpers import submitted_plan
from tests.reports.helpers import member, ready_report
from tracker.companies import change_requests
from tracker.companies.applications import ChangeRequest, ChangeRequestStatus
from tracker.companies.enums import Stage
from tracker.extensions import db
from tracker.plans import services as plan_services
from tracker.reports import drafting, services
from tracker.reports.models import Section

TODAY = date(2026, 12, 6)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: TODAY)


def text_of(page: str) -> str:
    """The page's words, tags dropped and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def where_you_are(page: str) -> str:
    """The words of the "Where you are" card, from its heading on."""
    start = page.index('<h2 id="next-heading">')
    return text_of(page[start : page.index("</section>", start)])


def attention(page: str) -> str | None:
    """The words of the "Needs your attention" panel, or None without one."""
    match = re.search(
        r'<section [^>]*aria-labelledby="attention-heading">(.*?)</section>', page, re.S
    )
    return text_of(match.group(1)) if match else None


def dashboard(client, auth, owner) -> str:
    auth.login(owner.email)
    response = client.get("/company/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_report_in_progress_comes_first_with_its_date_and_days(client, auth):
    # Joined May 2025: the first report is for 2026, due March 31, 2027, 115 days after
    # December 6, 2026 (25 + 31 + 28 + 31).
    company, owner = member(joined=date(2025, 5, 1))
    card = where_you_are(dashboard(client, auth, owner))
    assert card.startswith(
        "Where you are Report 2026 due March 31, 2027 – in 115 days The year is not over yet"
    )
    assert "Start the 2026 report" in card


def test_a_started_report_is_continued(client, auth):
    company, owner = member(joined=date(2025, 5, 1))
    drafting.start_report(company, 2026, owner, TODAY)
    db.session.commit()
    page = dashboard(client, auth, owner)
    assert 'href="/company/reports/2026">Continue the 2026 report</a>' in page
    assert "Start the 2026 report" not in page


def test_the_start_button_starts_the_report(client, auth):
    company, owner = member(joined=date(2025, 5, 1))
    page = dashboard(client, auth, owner)
    assert 'action="/company/reports/2026/start"' in page
    response = client.submit("/company/reports/2026/start", {"start_from": "blank"})
    assert response.headers["Location"] == "/company/reports/2026"
    assert services.report_for(company, 2026) is not None


def test_an_overdue_report_says_since_when_as_a_warning(client, auth):
    # Joined May 2024: the 2025 report was due March 31, 2026, 250 days before December 6.
    company, owner = member(joined=date(2024, 5, 1))
    page = dashboard(client, auth, owner)
    card = where_you_are(page)
    assert card.startswith("Where you are Report 2025 overdue since March 31, 2026 (250 days)")
    assert "The year is not over yet" not in card
    assert re.search(
        r'<div class="next-step panel panel-warning">\s*<p class="next-step-line">', page
    )


def test_an_extension_shows_the_new_date_and_the_one_it_replaced(client, auth, reviewer):
    company, owner = member(joined=date(2024, 5, 1))
    services.grant_extension(company, 2025, date(2027, 1, 20), "Flood", reviewer, TODAY)
    db.session.commit()
    card = where_you_are(dashboard(client, auth, owner))
    # December 6 to January 20: 25 + 20 days.
    assert card.startswith(
        "Where you are Report 2025 due January 20, 2027, extended from March 31, 2026 – in 45 days"
    )


def test_before_the_first_year_begins_it_says_when_the_report_opens(client, auth):
    company, owner = member(joined=date(2026, 6, 1))  # first full year: 2027
    card = where_you_are(dashboard(client, auth, owner))
    assert card.startswith(
        "Where you are Your first report, for 2027, opens on January 1, 2027; "
        "it is due on March 31, 2028."
    )
    assert "Start the 2027 report" not in card


def test_the_days_are_in_the_readers_language(client, auth):
    company, owner = member(joined=date(2025, 5, 1))
    auth.login(owner.email)
    page = client.get("/company/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "dans 115 jours" in text_of(page)


def test_a_returned_report_stands_out_with_the_comments(client, auth, reviewer):
    company, owner = member(joined=date(2024, 5, 1))
    report = ready_report(company, owner)
    services.submit_report(report, owner, report.version, date(2026, 2, 1))
    services.return_report(
        report, reviewer, {Section.TRAINING: "Count the guides."}, "Nearly there.", report.version
    )
    db.session.commit()
    page = dashboard(client, auth, owner)
    panel = attention(page)
    assert panel == (
        "Needs your attention ECPAT returned your 2025 report for changes Nearly there. "
        "2. Staff training Count the guides. Change the 2025 report"
    )
    assert 'href="/company/reports/2025">Change the 2025 report</a>' in page
    # Above everything else: right under the page's heading.
    assert page.index("</h1>") < page.index("attention-heading") < page.index("next-heading")


def test_a_member_with_nothing_returned_has_no_attention_panel(client, auth):
    company, owner = member(joined=date(2025, 5, 1))
    assert attention(dashboard(client, auth, owner)) is None


def test_a_returned_application_stands_out(client, auth, reviewer):
    company = CompanyFactory()
    owner = owner_of(company)
    return_for_changes(company, reviewer, "Add your office in Cambodia.")
    panel = attention(dashboard(client, auth, owner))
    assert panel == (
        "Needs your attention Changes requested Changes requested by ECPAT: "
        "Add your office in Cambodia. Change and resubmit"
    )


def test_a_returned_plan_stands_out(client, auth, reviewer):
    company = CompanyFactory(stage=Stage.APPROVED)
    owner = owner_of(company)
    plan = submitted_plan(company, owner)
    plan_services.return_plan(
        plan, reviewer, {"training": "Count guides."}, "Nearly.", plan.version
    )
    db.session.commit()
    page = dashboard(client, auth, owner)
    assert attention(page) == (
        "Needs your attention ECPAT returned this plan for changes Nearly. "
        "Change the implementation plan"
    )
    assert 'href="/company/plan">Change the implementation plan</a>' in page


def test_a_returned_change_of_details_stands_out(client, auth, reviewer):
    company, owner = member(joined=date(2025, 5, 1))
    db.session.add(
        ChangeRequest(
            company=company,
            requested_by_id=owner.id,
            status=ChangeRequestStatus.PENDING,
            proposed={"display_name": "Renamed"},
        )
    )
    db.session.flush()
    change_requests.return_change_request(company, reviewer, "Use the registered name.")
    db.session.commit()
    assert attention(dashboard(client, auth, owner)) == (
        "Needs your attention Change returned for corrections ECPAT asks you to correct the "
        "change of details: Use the registered name. Correct the change"
    )


def test_a_pending_change_of_details_is_not_a_returned_item(client, auth):
    company, owner = member(joined=date(2025, 5, 1))
    db.session.add(
        ChangeRequest(
            company=company,
            requested_by_id=owner.id,
            status=ChangeRequestStatus.PENDING,
            proposed={"display_name": "Renamed"},
        )
    )
    db.session.commit()
    page = dashboard(client, auth, owner)
    assert attention(page) is None
    assert "ECPAT is reviewing the change of details" in where_you_are(page)


@pytest.mark.parametrize(
    ("stage", "linked"),
    [(Stage.SUBMITTED, False), (Stage.APPROVED, True), (Stage.ACTIVE, True)],
)
def test_the_questions_are_linked_once_approved(client, auth, stage, linked):
    company = CompanyFactory(stage=stage)
    page = dashboard(client, auth, owner_of(company))
    assert ('href="/company/reports/questions">See the report questions</a>' in page) is linked
