"""The reviewer's pages through the test client, with e-mail going over SMTP."""

import html
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD, CompanyFactory, owner_of
from tests.fixtures.state import db_state
from tests.fixtures.two_factor import login
from tracker.audit import AuditEntry
from tracker.auth.models import User
from tracker.companies import services as company_services
from tracker.companies.enums import ApplicationStatus, CompanyType
from tracker.companies.models import Company
from tracker.extensions import db

# name: (path segment, form data, resulting status, e-mail subject)
DECISIONS = {
    "approve": ("approve", {}, ApplicationStatus.APPROVED, "Your application is approved"),
    "return": (
        "return",
        {"comment": "Please add your Cambodian office."},
        ApplicationStatus.RETURNED,
        "Your application needs changes",
    ),
    "reject": (
        "reject",
        {"reason": "You do not work in travel."},
        ApplicationStatus.REJECTED,
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


def submit_decision(client, company, segment: str, data: dict, version=None):
    """POST a decision as the page's form does: naming the version of the application read.

    An approval is sent as from its confirmation page (test_approval_asks_for_confirmation).
    """
    seen = company.version if version is None else version
    url = f"/review/companies/{company.id}/{segment}"
    return client.submit(url, {**data, "version": str(seen), "confirmed": "yes"})


@pytest.fixture()
def as_reviewer(auth, reviewer):
    auth.login(reviewer.email)
    return reviewer


# the queue


def test_queue_lists_submitted_applications_by_default(client, as_reviewer):
    CompanyFactory(display_name="Waiting Ltd")
    CompanyFactory(display_name="Approved Ltd", status=ApplicationStatus.APPROVED)
    CompanyFactory(display_name="Returned Ltd", status=ApplicationStatus.RETURNED)
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
    CompanyFactory(
        display_name="Tour approved", countries=("TH",), status=ApplicationStatus.APPROVED
    )
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
        # "%" and "_" are letters to look for, not wildcards matching everything.
        ("?status=&q=%25", []),
        ("?status=&q=_", []),
        ("?status=&q=a%25a", []),
    ],
)
def test_queue_filters(client, as_reviewer, company_a, company_b, query, expected):
    assert sorted(row_names(client.get(f"/review/{query}"))) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [("50%25", ["50% Tours"]), ("%25", ["50% Tours"]), ("t_p", ["Best_Price Trips"])],
)
def test_queue_search_takes_percent_and_underscore_literally(client, as_reviewer, q, expected):
    for name in ("50% Tours", "500 Tours", "Best_Price Trips", "Best Price Trips"):
        CompanyFactory(display_name=name)
    assert row_names(client.get(f"/review/?q={q}")) == expected


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
    response = submit_decision(client, company, segment, data)
    assert response.status_code == 302
    assert response.location == "/review/"
    db.session.refresh(company)
    assert flashes(client) == [f"Alpha Tours: {company.stage.label}."]
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
    response = submit_decision(client, company, segment, dict.fromkeys(data, ""))
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)
    db.session.refresh(company)
    assert company.status is ApplicationStatus.SUBMITTED
    assert smtp.messages == []


@pytest.mark.parametrize("decision", DECISIONS)
def test_decision_on_a_decided_application_is_refused(client, smtp, as_reviewer, decision):
    company = CompanyFactory(display_name="Done Ltd", status=ApplicationStatus.APPROVED)
    owner_of(company)
    segment, data, _, _ = DECISIONS[decision]
    response = submit_decision(client, company, segment, data)
    assert response.status_code == 302
    assert response.location == f"/review/companies/{company.id}"
    assert any("no longer waiting for review" in message for message in flashes(client))
    db.session.refresh(company)
    assert company.status is ApplicationStatus.APPROVED
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
    assert owner_a.company.status is ApplicationStatus.SUBMITTED
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


# a decision applies only to the version of the application the reviewer read


def edit(company: Company, owner: User, **changes) -> None:
    """The owner saves new details, as the edit page does (one request, one commit)."""
    operations = company_services.inputs_of(company.operations)
    current = {name: getattr(company, name) for name in company_services.DETAIL_FIELDS}
    details = company_services.CompanyDetails(**current, operations=operations)
    company_services.update_company(company, replace(details, **changes), owner)
    db.session.commit()


def versions_on(text: str) -> list[str]:
    """The version carried by each decision form on a page."""
    return re.findall(r'<input name="version" type="hidden" value="([^"]*)">', text)


def listed_changes(text: str) -> list[str]:
    items = re.search(r'<ul class="changes">(.*?)</ul>', text, re.S)
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", "", item)).split())
        for item in re.findall(r"<li>(.*?)</li>", items.group(1), re.S)
    ]


def typed_text(text: str, field_id: str) -> str:
    match = re.search(rf'<textarea[^>]*id="{field_id}"[^>]*>\r?\n?(.*?)</textarea>', text, re.S)
    return html.unescape(match.group(1))


def test_decision_forms_carry_the_version_shown(client, as_reviewer, owner_a):
    company = owner_a.company
    page = client.get(f"/review/companies/{company.id}").get_data(as_text=True)
    assert versions_on(page) == ["1", "1", "1"]  # approve, return, reject
    edit(company, owner_a, legal_name="Alpha Holdings Ltd")
    page = client.get(f"/review/companies/{company.id}").get_data(as_text=True)
    assert versions_on(page) == ["2", "2", "2"]


@pytest.mark.parametrize("decision", DECISIONS)
def test_decision_on_an_application_changed_since_it_was_read_is_409(
    client, smtp, as_reviewer, owner_a, decision
):
    company = owner_a.company
    old_legal_name = company.legal_name
    edit(
        company,
        owner_a,
        legal_name="Alpha Holdings Ltd",
        website="https://alpha.example",
        type=CompanyType.AIRLINE,
        operations=(company_services.OperationInput("TH"), company_services.OperationInput("FR")),
    )
    before = db_state()
    segment, data, _, _ = DECISIONS[decision]
    response = submit_decision(client, company, segment, data, version=1)

    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Alpha Tours changed since you opened it" in text
    assert "Nothing was decided" in text
    assert listed_changes(text) == [
        f"Legal name: {old_legal_name} → Alpha Holdings Ltd",
        "Type: Tour operator → Airline",
        "Website: https://example.com → https://alpha.example",
        "Operations (rows removed → rows added): KH → FR",
    ]
    assert f'href="/review/companies/{company.id}">reload the application</a>' in text
    # The reviewer's words are kept, in a form that now names the version shown here.
    for field_id, typed in data.items():
        assert typed_text(text, field_id) == typed
    assert versions_on(text) == ["2"]
    assert db_state() == before
    assert db.session.get(Company, company.id).status is ApplicationStatus.SUBMITTED
    assert smtp.messages == []


def test_deciding_from_the_conflict_page_applies_to_what_it_shows(client, as_reviewer, owner_a):
    company = owner_a.company
    edit(company, owner_a, display_name="Alpha Travel")
    url = f"/review/companies/{company.id}/return"
    conflict = client.submit(url, {"comment": "Add Laos.", "version": "1"})
    assert conflict.status_code == 409
    [version] = versions_on(conflict.get_data(as_text=True))
    response = client.submit(url, {"comment": "Add Laos.", "version": version})
    assert response.status_code == 302
    assert db.session.get(Company, company.id).status is ApplicationStatus.RETURNED


def test_conflict_lists_each_field_from_what_was_read_to_what_is_now(client, as_reviewer, owner_a):
    company = owner_a.company
    contact = company.contact_name
    edit(company, owner_a, display_name="Alpha Two", contact_name="Someone Else")  # version 2
    edit(company, owner_a, display_name="Alpha Three", contact_name=contact)  # version 3
    edit(company, owner_a, contact_phone="+66 2 000 0000")  # version 4

    def changes_since(version: int) -> list[str]:
        response = submit_decision(client, company, "approve", {}, version=version)
        assert response.status_code == 409
        return listed_changes(response.get_data(as_text=True))

    # A field changed and changed back is not listed; one changed twice shows first and last.
    assert changes_since(1) == [
        "Public name: Alpha Tours → Alpha Three",
        "Contact phone: (empty) → +66 2 000 0000",
    ]
    assert changes_since(2) == [
        "Public name: Alpha Two → Alpha Three",
        f"Contact person: Someone Else → {contact}",
        "Contact phone: (empty) → +66 2 000 0000",
    ]
    assert changes_since(3) == ["Contact phone: (empty) → +66 2 000 0000"]


def test_conflict_with_another_reviewers_decision(app, client, as_reviewer, admin, owner_a):
    company = owner_a.company
    other = app.test_client()
    login(other, admin.email, PASSWORD)
    assert submit_decision(other, company, "approve", {}, version=1).status_code == 302
    before = db_state()

    response = submit_decision(client, company, "reject", {"reason": "Not travel."}, version=1)
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    badge = '<span class="badge badge-info">Approved, awaiting signature</span>'
    assert f"Status now: {badge}" in text
    assert "no longer waiting for review" in text
    assert "<blockquote>Not travel.</blockquote>" in text  # what the reviewer wrote is not lost
    assert f"/review/companies/{company.id}/reject" not in text
    assert db_state() == before
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["application.approved"]


BAD_VERSIONS = [None, "", " ", "abc", "0", "-1", "1.0", "1e3", "\u0661", "2147483648", "9" * 5000]


@pytest.mark.parametrize("version", BAD_VERSIONS, ids=repr)
@pytest.mark.parametrize("decision", DECISIONS)
def test_decision_without_a_valid_version_is_a_form_error(
    client, smtp, as_reviewer, owner_a, decision, version
):
    company = owner_a.company
    segment, data, _, _ = DECISIONS[decision]
    form = data if version is None else {**data, "version": version}
    before = db_state()
    response = client.submit(f"/review/companies/{company.id}/{segment}", form)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "This form does not say which version of the application you read." in text
    for field_id, typed in data.items():
        assert typed_text(text, field_id) == typed
    assert db_state() == before
    assert smtp.messages == []


def test_approval_asks_for_confirmation_first(client, smtp, as_reviewer, owner_a):
    """The first press of Approve only asks; it works without JavaScript, as a second form."""
    company = owner_a.company
    before = db_state()
    url = f"/review/companies/{company.id}/approve"
    response = client.submit(url, {"version": str(company.version)})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Approve Alpha Tours?</h1>" in page
    assert 'name="confirmed" value="yes"' in page
    assert f'name="version" type="hidden" value="{company.version}"' in page
    assert db_state() == before and smtp.messages == []

    response = client.submit(url, {"version": str(company.version), "confirmed": "yes"})
    assert (response.status_code, response.location) == (302, "/review/")
    db.session.refresh(company)
    assert company.status is ApplicationStatus.APPROVED


def test_the_page_shows_the_application_before_the_decision(client, as_reviewer, owner_a):
    page = client.get(f"/review/companies/{owner_a.company.id}").get_data(as_text=True)
    assert (
        page.index("<h2>People</h2>")
        < page.index('id="decide-heading"')
        < page.index("<h2>History</h2>")
    )


def test_an_error_sits_beside_its_own_decision(client, as_reviewer, owner_a):
    company = owner_a.company
    response = submit_decision(client, company, "reject", {"reason": ""})
    page = response.get_data(as_text=True)
    reject_form = page.index(f'action="/review/companies/{company.id}/reject"')
    summary = page.index('class="error-summary"')
    assert page.index(f'action="/review/companies/{company.id}/return"') < summary < reject_form
