"""The application form (issue 16 item 13): bare websites, required marks, drafts."""

import re

import pytest
from sqlalchemy import func, select

from tests.factories import UserFactory
from tests.fixtures.state import db_state
from tests.test_bad_input import APPLICATION, assert_field_error, page, typed_value
from tracker.auth.forms import LoginForm
from tracker.companies.applications import ApplicationDraft
from tracker.companies.forms import CompanyForm
from tracker.companies.models import Company
from tracker.extensions import db
from tracker.formutils import with_scheme

WEBSITE_ERROR = "Enter a full address, e.g. https://example.com"


@pytest.fixture()
def as_applicant(client, auth, applicant):
    auth.login(applicant.email)
    return applicant


def draft_count() -> int:
    return db.session.scalar(select(func.count(ApplicationDraft.id)))


def draft_of(user) -> ApplicationDraft | None:
    return db.session.scalar(select(ApplicationDraft).where(ApplicationDraft.user_id == user.id))


def label_of(text: str, field_id: str) -> str:
    match = re.search(rf'<label for="{re.escape(field_id)}">(.*?)</label>', text, re.S)
    assert match, f"no label for #{field_id}"
    return match.group(1)


def marked(text: str, field_id: str) -> bool:
    """Whether the label of `field_id` is followed by the required mark."""
    mark = r' <span class="required-mark" aria-hidden="true">[^<]*</span>'
    return re.search(rf'<label for="{re.escape(field_id)}">[^<]*</label>{mark}', text) is not None


# -- (a) a bare website gets https:// ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("example.org", "https://example.org"),
        ("www.example.org", "https://www.example.org"),
        ("  example.org/about?x=1  ", "https://example.org/about?x=1"),
        ("example.org:8080", "https://example.org:8080"),
        ("https://example.org", "https://example.org"),
        ("http://example.org", "http://example.org"),
        # Not a host name first: left as typed, for the URL validator to refuse.
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("mailto:ana@example.org", "mailto:ana@example.org"),
        ("ftp://example.org", "ftp://example.org"),
        ("sunrise", "sunrise"),
        ("", ""),
        (None, None),
    ],
)
def test_with_scheme(typed, kept):
    assert with_scheme(typed) == kept


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("example.org", "https://example.org"), ("www.example.org", "https://www.example.org")],
)
def test_a_bare_website_is_stored_with_https(client, as_applicant, typed, stored):
    response = client.submit("/company/apply", {**APPLICATION, "website": typed})
    assert response.status_code == 302
    assert db.session.scalar(select(Company.website)) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("javascript:alert(document.cookie)", WEBSITE_ERROR),
        ("javascript://example.org/%0Aalert(1)", WEBSITE_ERROR),
        ("ftp://example.org", WEBSITE_ERROR),
        ("data:text/html,<script>alert(1)</script>", WEBSITE_ERROR),
        ("exa mple.org", "A web address has no spaces: remove them."),
        ("https://example.org/our hotels", "A web address has no spaces: remove them."),
        ("example.org/" + "a" * 2000, "longer than 255 characters"),
        ("a" * 2000, "longer than 255 characters"),
    ],
)
def test_hostile_websites_are_refused_next_to_the_field(client, as_applicant, typed, message):
    before = db_state()
    text = page(client.submit("/company/apply", {**APPLICATION, "website": typed}))
    assert_field_error(text, "website", message)
    assert db_state() == before


def test_the_website_box_accepts_a_bare_domain_in_the_browser(client, as_applicant):
    """type=url would make Chromium refuse "example.org" before sending it."""
    text = page(client.get("/company/apply"))
    box = re.search(r'<input[^>]*id="website"[^>]*>', text).group(0)
    assert 'type="text"' in box
    assert 'inputmode="url"' in box
    assert 'autocomplete="url"' in box


# -- (b) required fields are marked --------------------------------------------------------------


def test_the_apply_form_marks_its_required_fields(client, as_applicant):
    text = page(client.get("/company/apply"))
    required = ["legal_name", "display_name", "type", "hq_country", "revenue_band"]
    required += ["contact_name", "contact_email", "operations-0-country_code"]
    for field_id in required:
        assert marked(text, field_id), field_id
    for field_id in ("website", "contact_phone", "operations-0-property_name"):
        assert not marked(text, field_id), field_id
    # The label itself, and so the field's accessible name, is unchanged.
    assert label_of(text, "legal_name") == "Legal name"
    assert text.count("(required)") == len(required)


def test_the_mark_is_translated(client, as_applicant):
    text = client.get("/company/apply", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<span class="required-mark" aria-hidden="true">(obligatoire)</span>' in text
    text = client.get("/company/apply", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<span class="required-mark" aria-hidden="true">(obligatorio)</span>' in text


def test_a_form_where_everything_is_required_marks_nothing(client):
    text = page(client.get("/account/login"))
    assert "required-mark" not in text
    assert "(required)" not in text


def test_marks_required_needs_optional_fields_too(app):
    with app.test_request_context():
        assert CompanyForm().marks_required is True
        # E-mail and password required; the "keep me signed in" box is no field to fill in.
        assert LoginForm().marks_required is False


# -- (c) drafts ----------------------------------------------------------------------------------

PARTIAL = {
    "legal_name": "Sunrise Hotels Ltd",
    "display_name": "",
    "website": "sunrise.example",
    "type": "hotel",
    "operations-0-country_code": "TH",
    "operations-0-property_name": "Sunrise Phuket",
    "operations-1-country_code": "",
    "operations-1-city": "Siem Reap",
    "operations-2-country_code": "KH",
}


def test_a_draft_keeps_what_is_typed_with_required_fields_empty(client, as_applicant):
    text = page(client.submit("/company/apply", {**PARTIAL, "save_draft": "1"}))
    assert "Draft saved on " in text
    assert 'aria-invalid="true"' not in text
    assert typed_value(text, "legal_name") == "Sunrise Hotels Ltd"
    draft = draft_of(as_applicant)
    assert draft.data["legal_name"] == "Sunrise Hotels Ltd"
    assert draft.data["website"] == "https://sunrise.example"
    assert draft.data["display_name"] == ""
    assert [row["country_code"] for row in draft.data["operations"]] == ["TH", "", "KH"]
    assert db.session.scalar(select(func.count(Company.id))) == 0


def test_the_form_starts_from_the_draft(client, as_applicant):
    client.submit("/company/apply", {**PARTIAL, "save_draft": "1"})
    text = page(client.get("/company/apply"))
    assert "This is the draft you saved on " in text
    assert typed_value(text, "legal_name") == "Sunrise Hotels Ltd"
    assert typed_value(text, "website") == "https://sunrise.example"
    assert typed_value(text, "type") == "hotel"
    assert typed_value(text, "operations-0-country_code") == "TH"
    assert typed_value(text, "operations-0-property_name") == "Sunrise Phuket"
    assert typed_value(text, "operations-1-city") == "Siem Reap"
    assert typed_value(text, "operations-2-country_code") == "KH"
    # The draft left the contact empty: it is not filled in from the account again.
    assert typed_value(text, "contact_email") == ""


def test_without_a_draft_the_contact_is_the_applicant(client, as_applicant):
    text = page(client.get("/company/apply"))
    assert "This is the draft" not in text
    assert typed_value(text, "contact_email") == as_applicant.email
    assert typed_value(text, "contact_name") == as_applicant.name


def test_saving_again_replaces_the_draft(client, as_applicant):
    client.submit("/company/apply", {**PARTIAL, "save_draft": "1"})
    data = {"legal_name": "Moonrise Ltd", "operations-0-country_code": "LA", "save_draft": "1"}
    page(client.submit("/company/apply", data))
    assert draft_count() == 1
    draft = draft_of(as_applicant)
    assert draft.data["legal_name"] == "Moonrise Ltd"
    assert [row["country_code"] for row in draft.data["operations"]] == ["LA"]


@pytest.mark.parametrize(
    ("field_id", "typed", "message"),
    [
        ("contact_email", "ana at sunrise", "Invalid email address"),
        ("website", "javascript:alert(1)", WEBSITE_ERROR),
        ("legal_name", "L" * 201, "longer than 200 characters"),
        ("type", "spaceship", "Choose a type of business from the list."),
        ("operations-1-country_code", "XX", "Choose a country from the list."),
        ("display_name", "Sun\u202erise", "Remove the invisible formatting characters"),
    ],
)
def test_a_draft_with_an_invalid_typed_value_is_not_saved(
    client, as_applicant, field_id, typed, message
):
    data = {**PARTIAL, field_id: typed, "save_draft": "1"}
    text = page(client.submit("/company/apply", data))
    assert_field_error(text, field_id, message)
    assert "Draft saved" not in text
    assert typed_value(text, "legal_name") == data["legal_name"]
    assert draft_count() == 0


def test_an_invalid_draft_leaves_the_saved_one_alone(client, as_applicant):
    client.submit("/company/apply", {**PARTIAL, "save_draft": "1"})
    page(client.submit("/company/apply", {"contact_email": "ana at", "save_draft": "1"}))
    assert draft_of(as_applicant).data["legal_name"] == "Sunrise Hotels Ltd"


def test_a_draft_holds_no_more_rows_than_the_form(client, as_applicant):
    data = {f"operations-{i}-country_code": "" for i in range(301)}
    text = page(client.submit("/company/apply", {**data, "save_draft": "1"}))
    assert "You can list at most 300 operations; this form has 301." in text
    assert draft_count() == 0


def test_applying_removes_the_draft(client, as_applicant):
    client.submit("/company/apply", {**PARTIAL, "save_draft": "1"})
    assert draft_count() == 1
    response = client.submit("/company/apply", APPLICATION)
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Company.id))) == 1
    assert draft_count() == 0


def test_a_refused_application_keeps_the_draft(client, as_applicant):
    client.submit("/company/apply", {**PARTIAL, "save_draft": "1"})
    page(client.submit("/company/apply", {**APPLICATION, "legal_name": ""}))
    assert draft_count() == 1


def test_another_user_does_not_see_the_draft(client, auth, as_applicant):
    client.submit("/company/apply", {**PARTIAL, "save_draft": "1"})
    auth.logout()
    other = UserFactory(email="other@example.com")
    auth.login(other.email)
    text = page(client.get("/company/apply"))
    assert "Sunrise" not in text
    assert "This is the draft" not in text
    assert typed_value(text, "contact_email") == "other@example.com"
    client.submit("/company/apply", {"legal_name": "Other Ltd", "save_draft": "1"})
    assert draft_of(as_applicant).data["legal_name"] == "Sunrise Hotels Ltd"
    assert draft_of(other).data["legal_name"] == "Other Ltd"


@pytest.mark.parametrize("token", [None, "forged"])
def test_saving_a_draft_needs_the_csrf_token(client, as_applicant, token):
    data = {**PARTIAL, "save_draft": "1"} | ({} if token is None else {"csrf_token": token})
    assert client.post("/company/apply", data=data).status_code == 400
    assert draft_count() == 0


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    for response in (
        client.get("/company/apply"),
        client.submit("/company/apply", {**PARTIAL, "save_draft": "1"}),
    ):
        assert response.status_code == 302
        assert response.location.startswith("/account/login")
    assert draft_count() == 0


def test_a_member_has_no_draft_button(client, auth, owner_a):
    auth.login(owner_a.email)
    text = page(client.get("/company/edit"))
    assert 'name="save_draft"' not in text
    # A member posting one anyway is sent to the dashboard by /apply, and nothing is kept.
    response = client.submit("/company/apply", {**PARTIAL, "save_draft": "1"})
    assert (response.status_code, response.location) == (302, "/company/")
    assert draft_count() == 0


def test_the_apply_form_offers_the_draft_button(client, as_applicant):
    text = page(client.get("/company/apply"))
    assert re.search(r'<button type="submit" name="save_draft"[^>]*>Save as draft</button>', text)
