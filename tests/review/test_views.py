"""The reviewer's pages through the test client, with e-mail going over SMTP."""

import html
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from tests.factories import CompanyFactory, owner_of
from tracker.audit import AuditEntry
from tracker.companies.models import CompanyStatus
from tracker.extensions import db

# name: (path segment, form data, resulting status, e-mail subject)
DECISIONS = {
    "approve": ("approve", {}, CompanyStatus.APPROVED, "Your application is approved"),
    "return": (
        "return",
        {"comment": "Please add your Cambodian office."},
        CompanyStatus.RETURNED,
        "Your application needs changes",
    ),
    "reject": (
        "reject",
        {"reason": "You do not work in travel."},
        CompanyStatus.REJECTED,
        "Your application was not accepted",
    ),
}


def flashes(client) -> list[str]:
    with client.session_transaction() as session:
        return [message for _, message in session.get("_flashes", [])]


def row_names(response) -> list[str]:
    return re.findall(
        r'<a href="/review/companies/\d+">([^<]+)</a>', response.get_data(as_text=True)
    )


def pager_link(response, rel: str) -> str | None:
    match = re.search(rf'<a href="([^"]+)" rel="{rel}">', response.get_data(as_text=True))
    return html.unescape(match.group(1)) if match else None


@pytest.fixture()
def as_reviewer(auth, reviewer):
    auth.login(reviewer.email)
    return reviewer


# the queue


def test_queue_lists_submitted_applications_by_default(client, as_reviewer):
    CompanyFactory(display_name="Waiting Ltd")
    CompanyFactory(display_name="Approved Ltd", status=CompanyStatus.APPROVED)
    CompanyFactory(display_name="Returned Ltd", status=CompanyStatus.RETURNED)
    response = client.get("/review/")
    assert response.status_code == 200
    assert row_names(response) == ["Waiting Ltd"]
    assert sorted(row_names(client.get("/review/?status="))) == [
        "Approved Ltd",
        "Returned Ltd",
        "Waiting Ltd",
    ]


def test_queue_paginates_and_keeps_filters(client, as_reviewer):
    start = datetime.now(UTC) - timedelta(days=60)
    for n in range(30):
        CompanyFactory(
            display_name=f"Tour {n:02d}", countries=("TH",), submitted_at=start + timedelta(days=n)
        )
    CompanyFactory(display_name="Tour in France", countries=("FR",))
    CompanyFactory(display_name="Tour approved", countries=("TH",), status=CompanyStatus.APPROVED)
    CompanyFactory(display_name="Hotel Siam", countries=("TH",))

    first = client.get("/review/?status=submitted&country=TH&q=tour")
    assert first.status_code == 200
    assert row_names(first) == [f"Tour {n:02d}" for n in range(25)]
    assert pager_link(first, "prev") is None
    next_link = pager_link(first, "next")
    url = urlsplit(next_link)
    assert url.path == "/review/"
    assert parse_qs(url.query) == {
        "status": ["submitted"],
        "country": ["TH"],
        "q": ["tour"],
        "page": ["2"],
    }

    second = client.get(next_link)
    assert row_names(second) == [f"Tour {n:02d}" for n in range(25, 30)]
    assert "Page 2 of 2" in second.get_data(as_text=True)
    assert pager_link(second, "next") is None
    assert parse_qs(urlsplit(pager_link(second, "prev")).query)["page"] == ["1"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Alpha Tours"]),
        ("?status=approved", ["Beta Hotels"]),
        ("?status=&country=FR", ["Beta Hotels"]),
        ("?status=&q=alpha", ["Alpha Tours"]),
        ("?status=&country=KH", ["Alpha Tours"]),
        ("?status=nonsense", ["Alpha Tours", "Beta Hotels"]),  # invalid filters are ignored
    ],
)
def test_queue_filters(client, as_reviewer, company_a, company_b, query, expected):
    assert sorted(row_names(client.get(f"/review/{query}"))) == expected


def test_representative_queue_is_scoped(client, auth, rep_fr, company_a, company_b):
    auth.login(rep_fr.email)
    assert row_names(client.get("/review/?status=")) == ["Beta Hotels"]
    assert client.get(f"/review/companies/{company_a.id}").status_code == 404
    assert client.get(f"/review/companies/{company_b.id}").status_code == 200


@pytest.mark.parametrize("path", ["/review/", "/review/companies/{id}"])
def test_company_users_may_not_see_the_queue(client, auth, owner_a, path):
    auth.login(owner_a.email)
    assert client.get(path.format(id=owner_a.company_id)).status_code == 403


def test_queue_requires_login(client):
    response = client.get("/review/")
    assert response.status_code == 302
    assert response.location.startswith("/account/login")


# decisions


@pytest.mark.parametrize("decision", DECISIONS)
def test_decision_emails_owner_and_redirects_to_queue(client, smtp, as_reviewer, owner_a, decision):
    company = owner_a.company
    segment, data, status, subject = DECISIONS[decision]
    response = client.submit(f"/review/companies/{company.id}/{segment}", data)
    assert response.status_code == 302
    assert response.location == "/review/"
    assert flashes(client) == [f"Alpha Tours: {status.label}."]

    db.session.refresh(company)
    assert company.status is status
    [message] = smtp.to(owner_a.email)
    assert message["Subject"] == f"[The Code] {subject}"
    body = message.get_payload(decode=True).decode()
    assert "Alpha Tours" in body
    for comment in data.values():
        assert comment in body
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.actor_id, entry.to_status) == (as_reviewer.id, status.value)
    assert entry.comment == (next(iter(data.values()), None))
    assert "Alpha Tours" in client.get(response.location).get_data(as_text=True)


@pytest.mark.parametrize("decision", ["return", "reject"])
def test_decision_without_comment_re_renders_and_sends_nothing(
    client, smtp, as_reviewer, owner_a, decision
):
    company = owner_a.company
    segment, data, _, _ = DECISIONS[decision]
    response = client.submit(f"/review/companies/{company.id}/{segment}", dict.fromkeys(data, ""))
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)
    db.session.refresh(company)
    assert company.status is CompanyStatus.SUBMITTED
    assert smtp.messages == []


@pytest.mark.parametrize("decision", DECISIONS)
def test_decision_on_a_decided_application_is_refused(client, smtp, as_reviewer, decision):
    company = CompanyFactory(display_name="Done Ltd", status=CompanyStatus.APPROVED)
    owner_of(company)
    segment, data, _, _ = DECISIONS[decision]
    response = client.submit(f"/review/companies/{company.id}/{segment}", data)
    assert response.status_code == 302
    assert response.location == f"/review/companies/{company.id}"
    assert any("no longer waiting for review" in message for message in flashes(client))
    db.session.refresh(company)
    assert company.status is CompanyStatus.APPROVED
    assert smtp.messages == []


@pytest.mark.parametrize("decision", DECISIONS)
def test_decision_needs_csrf(client, smtp, as_reviewer, owner_a, decision):
    segment, data, _, _ = DECISIONS[decision]
    response = client.post(f"/review/companies/{owner_a.company_id}/{segment}", data=data)
    assert response.status_code == 400
    assert smtp.messages == []


@pytest.mark.parametrize("decision", DECISIONS)
def test_representative_outside_countries_gets_404(client, auth, smtp, rep_fr, owner_a, decision):
    auth.login(rep_fr.email)
    segment, data, _, _ = DECISIONS[decision]
    response = client.submit(f"/review/companies/{owner_a.company_id}/{segment}", data)
    assert response.status_code == 404
    db.session.refresh(owner_a.company)
    assert owner_a.company.status is CompanyStatus.SUBMITTED
    assert smtp.messages == []


def test_admin_sees_every_staff_account_with_countries(
    client, auth, admin, reviewer, rep_th, owner_a
):
    auth.login(admin.email)
    page = client.get("/review/staff").get_data(as_text=True)
    for person in (admin, reviewer, rep_th):
        assert person.email in page
    assert "Thailand" in page
    assert owner_a.email not in page
