"""Bad input never gives a 500 and never changes data: it re-renders with the typed values kept."""

import html
import re
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import func, select

from tests.factories import UserFactory
from tests.fixtures.state import db_state
from tracker.auth.invitations import issue_token
from tracker.auth.models import Invitation, User
from tracker.auth.services import reset_token_payload
from tracker.companies.enums import ApplicationStatus
from tracker.companies.models import Company
from tracker.companies.operations import Operation
from tracker.extensions import db
from tracker.tokens import make_token, new_link_token

APPLICATION = {
    "legal_name": "Sunrise Hotels Ltd",
    "display_name": "Sunrise Hotels",
    "type": "tour_operator",
    "hq_country": "TH",
    "website": "https://sunrise.example",
    "revenue_band": "500k_to_2_5m",
    "contact_name": "Ana Lee",
    "contact_email": "ana@sunrise.example",
    "contact_phone": "+66 2 123 4567",
    "operations-0-country_code": "TH",
    "operations-1-country_code": "KH",
}
SIGNATURE = {
    "signatory_name": "Bea Martin",
    "signatory_title": "Managing Director",
    "authority": "y",
    "criteria_version": "2",
    **{f"criterion_{n}": "y" for n in range(1, 7)},
}
REGISTRATION = {
    "name": "Ana Lee",
    "email": "ana@sunrise.example",
    "password": "long enough pw",
    "confirm": "long enough pw",
}
REQUIRED = "This field is required."
ONE_LINE = "Keep this on one line: remove the line breaks."
INVISIBLE = "Remove the invisible formatting characters"
# An <input> cannot hold a line break (HTML forbids it): a refused value is shown on one line.
SHOWN_ON_ONE_LINE = {
    "Ana\r\nLee": "Ana Lee",
    "Ana Lee\n": "Ana Lee ",
    "Sunrise\r\nHotels Ltd": "Sunrise Hotels Ltd",
    "Sunrise Hotels Ltd\r": "Sunrise Hotels Ltd ",
    "Sunrise\nHotels": "Sunrise Hotels",
    "Siem\nReap": "Siem Reap",
    "CEO\r\nBcc: everyone@example.com": "CEO Bcc: everyone@example.com",
    "Bea\nMartin": "Bea Martin",
}


# -- helpers -----------------------------------------------------------------------------------


def page(response) -> str:
    assert response.status_code == 200, f"{response.status_code}: {response.location}"
    return response.get_data(as_text=True)


def control(text: str, field_id: str) -> str:
    """The opening tag of the input, select or textarea with this id."""
    match = re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{re.escape(field_id)}"[^>]*>', text)
    assert match, f"no control #{field_id}"
    return match.group(0)


def assert_field_error(text: str, field_id: str, message: str) -> None:
    """The message is shown next to the field, which is marked invalid and points at it."""
    assert 'aria-invalid="true"' in control(text, field_id), f"#{field_id} not aria-invalid"
    assert f"{field_id}-error" in control(text, field_id)
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', text, re.S)
    assert match, f"no error message next to #{field_id}"
    assert message in html.unescape(match.group(1))


def assert_no_field_error(text: str, field_id: str) -> None:
    assert "aria-invalid" not in control(text, field_id)


def typed_value(text: str, field_id: str) -> str | None:
    tag = control(text, field_id)
    if is_select(text, field_id):
        options = re.search(rf'id="{re.escape(field_id)}"[^>]*>(.*?)</select>', text, re.S)
        chosen = re.search(r'<option selected value="([^"]*)"', options.group(1))
        return html.unescape(chosen.group(1)) if chosen else None
    if tag.startswith("<textarea"):
        body = re.search(rf'id="{re.escape(field_id)}"[^>]*>\r?\n?(.*?)</textarea>', text, re.S)
        return html.unescape(body.group(1))
    value = re.search(r'\bvalue="([^"]*)"', tag)
    return html.unescape(value.group(1)) if value else None


def is_select(text: str, field_id: str) -> bool:
    return control(text, field_id).startswith("<select")


def on_one_line(text: str, data: dict, field_id: str) -> tuple[str, ...]:
    """Check a value with line breaks is shown on one line; the field to skip in assert_kept."""
    if data[field_id] not in SHOWN_ON_ONE_LINE:
        return ()
    assert typed_value(text, field_id) == SHOWN_ON_ONE_LINE[data[field_id]]
    return (field_id,)


def assert_kept(text: str, data: dict, skip: tuple[str, ...] = ()) -> None:
    """Every value the user typed (except `skip`) is shown again in its field."""
    for name, value in data.items():
        if name in skip or name == "csrf_token" or name.startswith("criterion_"):
            continue
        if name in ("authority",):
            assert "checked" in control(text, name)
        elif name != "criteria_version":
            assert typed_value(text, name) == value, name


def flashes(client, location: str) -> str:
    return client.get(location).get_data(as_text=True)


@pytest.fixture()
def as_applicant(client, auth, applicant):
    auth.login(applicant.email)
    return applicant


@pytest.fixture()
def as_owner_a(client, auth, owner_a):
    auth.login(owner_a.email)
    return owner_a


@pytest.fixture()
def as_owner_b(client, auth, owner_b):
    auth.login(owner_b.email)
    return owner_b


@pytest.fixture()
def as_reviewer(client, auth, reviewer, company_a, owner_a):
    auth.login(reviewer.email)
    return company_a


# -- register ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"name": ""}, "name", REQUIRED),
        ({"name": "   "}, "name", REQUIRED),
        ({"name": "N" * 121}, "name", "longer than 120 characters"),
        ({"name": "Ana\r\nLee"}, "name", ONE_LINE),
        ({"name": "Ana Lee\n"}, "name", ONE_LINE),
        ({"name": "Ana\u202eeeL"}, "name", INVISIBLE),
        ({"email": ""}, "email", REQUIRED),
        ({"email": "not-an-address"}, "email", "Invalid email address"),
        ({"email": "a" * 250 + "@example.com"}, "email", "longer than 254 characters"),
        ({"password": "short", "confirm": "short"}, "password", "between 10 and 128"),
        ({"password": "p" * 129, "confirm": "p" * 129}, "password", "between 10 and 128"),
        ({"confirm": "something else"}, "confirm", "The two passwords do not match."),
    ],
)
def test_register_rejects_bad_fields(client, changes, field_id, message):
    data = {**REGISTRATION, **changes}
    text = page(client.submit("/account/register", data))
    assert_field_error(text, field_id, message)
    assert_kept(text, data, skip=("password", "confirm", *on_one_line(text, data, field_id)))
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_register_with_a_taken_address_changes_nothing(client, owner_a):
    """It answers as for a new address (tests/auth/test_views.py) and creates nothing."""
    before = db_state()
    data = {**REGISTRATION, "email": "  OWNER.A@example.com "}
    response = client.submit("/account/register", data)
    assert (response.status_code, response.location) == (302, "/account/login")
    assert db_state() == before


# -- apply -------------------------------------------------------------------------------------

APPLY_ERRORS = [
    ({"legal_name": ""}, "legal_name", REQUIRED),
    ({"legal_name": "   "}, "legal_name", REQUIRED),
    ({"legal_name": "L" * 201}, "legal_name", "longer than 200 characters"),
    ({"display_name": ""}, "display_name", REQUIRED),
    ({"display_name": "D" * 121}, "display_name", "longer than 120 characters"),
    ({"contact_name": ""}, "contact_name", REQUIRED),
    ({"contact_email": ""}, "contact_email", REQUIRED),
    ({"contact_email": "ana at sunrise"}, "contact_email", "Invalid email address"),
    ({"contact_phone": "1" * 41}, "contact_phone", "longer than 40 characters"),
    ({"website": "sunrise"}, "website", "Enter a full address"),
    ({"website": "https://" + "w" * 250 + ".com"}, "website", "longer than 255 characters"),
    ({"hq_country": ""}, "hq_country", "Choose a country from the list."),
    ({"hq_country": "XX"}, "hq_country", "Choose a country from the list."),
    ({"hq_country": "thailand"}, "hq_country", "Choose a country from the list."),
    ({"hq_country": "th"}, "hq_country", "Choose a country from the list."),
    ({"operations-1-country_code": "XX"}, "operations-1-country_code", "Choose a country"),
    ({"operations-1-country_code": ""}, "operations-1-country_code", "Choose a country"),
    ({"operations-0-country_code": "thailand"}, "operations-0-country_code", "Choose a country"),
    ({"operations-0-city": "C" * 121}, "operations-0-city", "longer than 120 characters"),
    ({"operations-0-property_name": "P" * 201}, "operations-0-property_name", "longer than 200"),
    ({"type": "spaceship"}, "type", "Choose a type of business from the list."),
    ({"type": ""}, "type", "Choose a type of business from the list."),
    ({"revenue_band": "lots"}, "revenue_band", "Choose your annual revenue from the list."),
    ({"revenue_band": ""}, "revenue_band", "Choose your annual revenue from the list."),
    # Single-line fields refuse line breaks (they end up in e-mail subjects and lists) ...
    ({"legal_name": "Sunrise\r\nHotels Ltd"}, "legal_name", ONE_LINE),
    ({"legal_name": "Sunrise Hotels Ltd\r"}, "legal_name", ONE_LINE),
    ({"display_name": "Sunrise\nHotels"}, "display_name", ONE_LINE),
    ({"operations-1-city": "Siem\nReap"}, "operations-1-city", ONE_LINE),
    # ... and every text field refuses invisible format characters: a right-to-left override
    # makes "Sunrise" display as another name, a zero-width space makes a look-alike.
    ({"display_name": "Sunrise \u202eslatoH"}, "display_name", INVISIBLE),
    ({"display_name": "Sun\u200brise Hotels"}, "display_name", INVISIBLE),
    ({"legal_name": "Sunrise\u2066 Hotels\u2069 Ltd"}, "legal_name", INVISIBLE),
    ({"operations-0-property_name": "Sun\u00adrise"}, "operations-0-property_name", INVISIBLE),
]


@pytest.mark.parametrize(("changes", "field_id", "message"), APPLY_ERRORS)
def test_apply_rejects_bad_fields_and_keeps_the_rest(
    client, as_applicant, changes, field_id, message
):
    data = {**APPLICATION, **changes}
    before = db_state()
    text = page(client.submit("/company/apply", data))
    assert_field_error(text, field_id, message)
    # Everything the user typed is still there; a select cannot show a value not in its list.
    skip = (field_id,) if is_select(text, field_id) else on_one_line(text, data, field_id)
    assert_kept(text, data, skip=skip)
    assert db_state() == before
    assert db.session.get(User, as_applicant.id).company_id is None


def test_apply_with_nothing_filled_in(client, as_applicant):
    text = page(client.submit("/company/apply", {}))
    for field_id in ("legal_name", "display_name", "contact_name", "contact_email"):
        assert_field_error(text, field_id, REQUIRED)
    assert_field_error(text, "hq_country", "Choose a country from the list.")
    assert_field_error(text, "operations-0-country_code", "Choose a country from the list.")
    assert db.session.scalar(select(func.count(Company.id))) == 0


def test_a_valid_application_is_saved(client, as_applicant):
    """The control case for the tests above: the same data without the fault goes through."""
    response = client.submit("/company/apply", APPLICATION)
    assert response.status_code == 302
    company = db.session.scalar(select(Company))
    assert company.legal_name == "Sunrise Hotels Ltd"
    assert company.country_codes == ["KH", "TH"]


@pytest.mark.parametrize("kind", ["hotel", "hotel_chain"])
@pytest.mark.parametrize("missing", ["operations-1-property_name", "operations-1-city"])
def test_hotels_name_each_property_and_city(client, as_applicant, kind, missing):
    data = {
        **APPLICATION,
        "type": kind,
        "operations-0-property_name": "Sunrise Phuket",
        "operations-0-city": "Phuket",
        "operations-1-property_name": "Sunrise Siem Reap",
        "operations-1-city": "Siem Reap",
        missing: "  ",
    }
    text = page(client.submit("/company/apply", data))
    assert_field_error(text, missing, "Hotels name each property and its city.")
    assert_no_field_error(text, "operations-0-city")
    assert "Check the highlighted operations." in text
    assert_kept(text, data, skip=(missing,))
    assert db.session.scalar(select(func.count(Company.id))) == 0


@pytest.mark.parametrize(
    "rows",
    [
        {"operations-0-country_code": "TH", "operations-1-country_code": "TH"},
        {
            "type": "hotel",
            "operations-0-country_code": "TH",
            "operations-0-property_name": "Sunrise Phuket",
            "operations-0-city": "Phuket",
            "operations-1-country_code": "TH",
            "operations-1-property_name": " sunrise PHUKET ",
            "operations-1-city": "phuket",
        },
    ],
    ids=["same country twice", "same hotel twice"],
)
def test_duplicate_operation_rows_are_refused(client, as_applicant, rows):
    data = {**APPLICATION, **rows}
    text = page(client.submit("/company/apply", data))
    assert_field_error(text, "operations-1-country_code", "This row repeats another one.")
    assert_no_field_error(text, "operations-0-country_code")
    assert db.session.scalar(select(func.count(Company.id))) == 0


def test_rows_beyond_the_form_are_ignored_safely(client, as_applicant):
    """Odd row names (gaps, huge or non-numeric indices) do not crash the form."""
    data = {
        **APPLICATION,
        "operations-7-country_code": "LA",
        "operations-x-country_code": "VN",
        "operations-99999999999999999999-country_code": "MM",
    }
    response = client.submit("/company/apply", data)
    assert response.status_code == 302
    assert db.session.scalar(select(Company)).country_codes == ["KH", "LA", "MM", "TH"]


CONTROL = "Remove the invisible control characters from this text."


@pytest.mark.parametrize(
    "field_id",
    ["legal_name", "display_name", "contact_name", "contact_phone", "operations-1-city"],
)
@pytest.mark.parametrize(
    "bad", ["Sunrise\x00Hotels", "Sun\x1brise", "\x7f", "Sun\uffffrise", "Sun\ufdd0", "\U0010fffe"]
)
def test_control_characters_are_refused_not_stored(client, as_applicant, field_id, bad):
    """PostgreSQL refuses NUL in text outright (a 500 there); no control character is stored."""
    text = page(client.submit("/company/apply", {**APPLICATION, field_id: bad}))
    assert_field_error(text, field_id, CONTROL)
    assert db.session.scalar(select(func.count(Company.id))) == 0


def test_control_characters_elsewhere(client, auth, reviewer, company_a, owner_a):
    text = page(client.submit("/account/register", {**REGISTRATION, "name": "Ana\x00"}))
    assert_field_error(text, "name", CONTROL)
    auth.login(reviewer.email)
    before = db_state()
    url = f"/review/companies/{company_a.id}/return"
    version = str(company_a.version)
    text = page(client.submit(url, {"comment": "Fix\x00 this", "version": version}))
    assert_field_error(text, "comment", CONTROL)
    assert db_state() == before
    # Line breaks and tabs are ordinary text in a comment.
    response = client.submit(url, {"comment": "Please:\r\n\t- add Cambodia", "version": version})
    assert response.status_code == 302
    assert db.session.get(Company, company_a.id).status is ApplicationStatus.RETURNED


def test_addresses_with_surrounding_spaces_are_accepted(client):
    """Mobile keyboards add a space after an autocompleted address; that is not an error."""
    data = {**REGISTRATION, "email": " Ana@Sunrise.example "}
    response = client.submit("/account/register", data)
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert user.email == "ana@sunrise.example"
    user.email_confirmed_at = user.created_at
    db.session.commit()
    login = {"email": " ana@sunrise.example", "password": REGISTRATION["password"]}
    assert client.submit("/account/login", login).status_code == 302
    data = {**APPLICATION, "contact_email": "ana@sunrise.example  "}
    assert client.submit("/company/apply", data).status_code == 302
    assert db.session.scalar(select(Company)).contact_email == "ana@sunrise.example"


# -- add and remove rows -----------------------------------------------------------------------


@pytest.fixture(params=["/company/apply", "/company/edit"])
def operations_form(request, client, auth, applicant, owner_a):
    """The two pages with the operations list, each as the user who may use it."""
    auth.login(applicant.email if request.param == "/company/apply" else owner_a.email)
    return request.param


def test_add_row_keeps_typed_data_and_saves_nothing(client, operations_form):
    before = db_state()
    # A complete, valid application: pressing "add" must still not submit it.
    data = {**APPLICATION, "add_operation": "1"}
    text = page(client.submit(operations_form, data))
    assert_kept(text, {k: v for k, v in data.items() if k != "add_operation"})
    assert typed_value(text, "operations-2-country_code") is None  # the new, empty row
    assert "aria-invalid" not in text
    assert db_state() == before


def test_remove_row_keeps_the_other_rows_and_saves_nothing(client, operations_form):
    before = db_state()
    data = {**APPLICATION, "operations-2-country_code": "LA", "remove_operation": "1"}
    text = page(client.submit(operations_form, data))
    assert typed_value(text, "operations-0-country_code") == "TH"
    assert typed_value(text, "operations-2-country_code") == "LA"
    assert 'id="operations-1-country_code"' not in text
    assert typed_value(text, "legal_name") == "Sunrise Hotels Ltd"
    assert db_state() == before


@pytest.mark.parametrize("value", ["-1", "abc", "", "99", "1.5", "٣"])
def test_tampered_remove_row_value_saves_nothing(client, operations_form, value):
    before = db_state()
    data = {**APPLICATION, "remove_operation": value}
    text = page(client.submit(operations_form, data))
    assert typed_value(text, "legal_name") == "Sunrise Hotels Ltd"
    assert db_state() == before


def test_removing_the_last_row_keeps_it(client, as_applicant):
    data = {**APPLICATION, "remove_operation": "0"}
    del data["operations-1-country_code"]
    text = page(client.submit("/company/apply", data))
    assert typed_value(text, "operations-0-country_code") == "TH"
    assert db.session.scalar(select(func.count(Company.id))) == 0


# -- the most operations a company may list (300) --------------------------------------------


def hotel_chain(rows: int) -> dict:
    """A hotel chain's form with `rows` properties, each row different."""
    data = {k: v for k, v in APPLICATION.items() if not k.startswith("operations-")}
    data["type"] = "hotel_chain"
    for n in range(rows):
        data[f"operations-{n}-country_code"] = ("TH", "KH", "LA")[n % 3]
        data[f"operations-{n}-property_name"] = f"Sunrise {n + 1}"
        data[f"operations-{n}-city"] = f"Town {n + 1}"
    return data


def shown_rows(text: str) -> dict[str, str]:
    """Every operation row's values as shown on the page, read in one pass over a large page."""
    inputs = re.findall(r'<input [^>]*id="(operations-\d+-\w+)"[^>]*value="([^"]*)"', text)
    selects = re.findall(r'<select [^>]*id="(operations-\d+-\w+)"[^>]*>(.*?)</select>', text, re.S)
    chosen = {
        name: re.search(r'<option selected value="([^"]*)"', options).group(1)
        for name, options in selects
    }
    return {name: html.unescape(value) for name, value in [*inputs, *chosen.items()]}


def assert_rows_kept(text: str, data: dict) -> None:
    """assert_kept for a form with hundreds of rows: every typed row, and every other field."""
    rows = {name: value for name, value in data.items() if name.startswith("operations-")}
    assert shown_rows(text) == rows
    assert_kept(text, {name: value for name, value in data.items() if name not in rows})


def operations_error(text: str) -> str:
    """The message shown next to the operations list (not one of a row's fields)."""
    match = re.search(r'<p class="error" id="operations-error">(.*?)</p>', text, re.S)
    assert match, "no message next to the operations list"
    return html.unescape(match.group(1))


def test_more_than_300_operations_are_refused_and_every_row_is_kept(client, operations_form):
    before = db_state()
    data = hotel_chain(301)
    text = page(client.submit(operations_form, data))
    message = "You can list at most 300 operations; this form has 301. Remove 1 row and save again."
    assert operations_error(text) == message
    summary = re.search(r'<div class="error-summary".*?</div>', text, re.S).group(0)
    assert f'<a href="#operations-error">{message}</a>' in summary
    # Nothing typed is lost: the 301st row is shown again with its values.
    assert typed_value(text, "operations-300-property_name") == "Sunrise 301"
    assert typed_value(text, "operations-300-city") == "Town 301"
    assert typed_value(text, "operations-300-country_code") == "TH"  # row 301: 300 % 3 == 0
    assert_rows_kept(text, data)
    assert db_state() == before


def test_300_operations_are_saved(client, as_owner_a):
    response = client.submit("/company/edit", hotel_chain(300))
    assert response.status_code == 302
    names = db.session.scalars(
        select(Operation.property_name).where(Operation.company_id == as_owner_a.company_id)
    ).all()
    assert sorted(names) == sorted(f"Sunrise {n}" for n in range(1, 301))


def test_adding_a_row_at_300_says_why_none_was_added(client, operations_form):
    before = db_state()
    data = hotel_chain(300)
    text = page(client.submit(operations_form, {**data, "add_operation": "1"}))
    assert operations_error(text) == (
        "This form holds at most 300 operations, so no row was added. Save, then import the rest "
        "from a CSV file on the properties page."
    )
    assert 'id="operations-300-country_code"' not in text
    assert_rows_kept(text, data)
    assert db_state() == before


# -- edit --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "field_id", "message"), APPLY_ERRORS[::3])
def test_edit_rejects_bad_fields_and_changes_nothing(
    client, as_owner_a, changes, field_id, message
):
    data = {**APPLICATION, **changes}
    before = db_state()
    text = page(client.submit("/company/edit", data))
    assert_field_error(text, field_id, message)
    # The new values typed by the user are shown, not the saved ones.
    assert typed_value(text, "contact_name") == data["contact_name"] or field_id == "contact_name"
    assert typed_value(text, "display_name") == data["display_name"] or field_id == "display_name"
    assert db_state() == before


def test_edit_hotel_without_properties(client, as_owner_a):
    before = db_state()
    text = page(client.submit("/company/edit", {**APPLICATION, "type": "hotel"}))
    assert_field_error(text, "operations-0-property_name", "Hotels name each property")
    assert_field_error(text, "operations-1-city", "Hotels name each property")
    assert typed_value(text, "type") == "hotel"
    assert db_state() == before


# -- sign --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"signatory_name": ""}, "signatory_name", REQUIRED),
        ({"signatory_name": "  "}, "signatory_name", REQUIRED),
        ({"signatory_title": "T" * 121}, "signatory_title", "longer than 120 characters"),
        ({"signatory_title": "CEO\r\nBcc: everyone@example.com"}, "signatory_title", ONE_LINE),
        ({"signatory_name": "Bea\nMartin"}, "signatory_name", ONE_LINE),
        ({"signatory_name": "Bea \u202enitraM"}, "signatory_name", INVISIBLE),
        ({"authority": None}, "authority", "Confirm that you may sign for the company."),
        ({"criterion_3": None}, "criterion_3", "Accept criterion 3 to sign."),
    ],
)
def test_sign_rejects_bad_fields(client, as_owner_b, changes, field_id, message):
    data = {k: v for k, v in {**SIGNATURE, **changes}.items() if v is not None}
    before = db_state()
    text = page(client.submit("/company/sign", data))
    assert_field_error(text, field_id, message)
    assert_kept(text, data, skip=(field_id,))
    for name in data:
        if name.startswith("criterion_"):
            assert "checked" in control(text, name), f"{name} lost its tick"
    assert db_state() == before


@pytest.mark.parametrize("version", ["", "1999.1", "2024.1'; --", "x" * 500])
def test_sign_with_a_stale_or_tampered_criteria_version(client, as_owner_b, version):
    before = db_state()
    text = page(client.submit("/company/sign", {**SIGNATURE, "criteria_version": version}))
    assert "The criteria have changed since this page was opened" in text
    assert typed_value(text, "signatory_name") == "Bea Martin"
    assert db_state() == before


# -- review decisions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "field_id", "value", "message"),
    [
        ("return", "comment", "", REQUIRED),
        ("return", "comment", " \n\t ", REQUIRED),
        ("return", "comment", "c" * 4001, "longer than 4000 characters"),
        ("reject", "reason", "", REQUIRED),
        ("reject", "reason", "   ", REQUIRED),
        ("reject", "reason", "r" * 4001, "longer than 4000 characters"),
    ],
)
def test_decision_without_a_proper_comment(client, as_reviewer, decision, field_id, value, message):
    company = as_reviewer
    before = db_state()
    url = f"/review/companies/{company.id}/{decision}"
    text = page(client.submit(url, {field_id: value, "version": str(company.version)}))
    assert_field_error(text, field_id, message)
    if value.strip():
        assert typed_value(text, field_id) == value
    assert db_state() == before
    assert db.session.get(Company, company.id).status is ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("decision", ["approve", "return", "reject"])
def test_decision_on_an_application_no_longer_waiting(client, as_reviewer, decision):
    company = as_reviewer
    company.status = ApplicationStatus.REJECTED
    db.session.commit()
    before = db_state()
    data = {"comment": "x", "reason": "x", "version": str(company.version)}
    response = client.submit(f"/review/companies/{company.id}/{decision}", data)
    assert response.status_code == 302
    assert "no longer waiting for review" in flashes(client, response.location)
    assert db_state() == before


# -- CSRF --------------------------------------------------------------------------------------

CSRF_CASES = [
    ("applicant@example.com", "/company/apply", APPLICATION),
    ("owner.a@example.com", "/company/edit", {**APPLICATION, "legal_name": "Changed Ltd"}),
    ("owner.a@example.com", "/company/colleagues", {"email": "new@example.com"}),
    ("owner.b@example.com", "/company/sign", SIGNATURE),
    ("reviewer@example.com", "/review/companies/{a}/approve", {}),
    ("reviewer@example.com", "/review/companies/{a}/reject", {"reason": "No"}),
    ("owner.a@example.com", "/account/logout", {}),
    (
        "owner.a@example.com",
        "/account/password",
        {"current_password": "correct horse battery", "password": "x" * 12, "confirm": "x" * 12},
    ),
    (None, "/account/register", REGISTRATION),
    (None, "/account/login", {"email": "owner.a@example.com", "password": "correct horse battery"}),
]


@pytest.mark.parametrize("token", [None, "", "not-a-token", "IjEyMyI.bad.signature"])
@pytest.mark.parametrize(("email", "url", "data"), CSRF_CASES, ids=[c[1] for c in CSRF_CASES])
def test_missing_or_wrong_csrf_token_is_400(
    client, auth, applicant, owner_a, owner_b, reviewer, email, url, data, token
):
    if email:
        auth.login(email)
    url = url.format(a=owner_a.company_id)
    before = db_state()
    form = dict(data) | ({} if token is None else {"csrf_token": token})
    response = client.post(url, data=form)
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert db_state() == before
    if email:  # still signed in as before: the refused logout did nothing either
        assert client.get("/account/password").status_code == 200
    else:
        assert client.get("/account/password").status_code == 302


def test_csrf_token_from_another_session_is_400(app, client, auth, owner_a):
    other = app.test_client()
    stolen = other.csrf_token()
    auth.login(owner_a.email)
    before = db_state()
    response = client.post("/company/edit", data={**APPLICATION, "csrf_token": stolen})
    assert response.status_code == 400
    assert db_state() == before


# -- ids in URLs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "company_id", ["999999", "abc", "-1", "0", "1.0", "99999999999999999999", "%00", "1%20"]
)
@pytest.mark.parametrize("action", ["", "/approve", "/return", "/reject"])
def test_tampered_company_ids_are_404(client, as_reviewer, company_id, action):
    before = db_state()
    url = f"/review/companies/{company_id}{action}"
    data = {"comment": "x", "reason": "x"}
    response = client.submit(url, data) if action else client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert db_state() == before


@pytest.mark.parametrize(
    "query",
    [
        "?page=abc",
        "?page=-3",
        "?page=0",
        "?page=99999999999999999999",
        "?per_page=100000",
        "?status=nonsense",
        "?country=XX",
        "?country=thailand",
        "?q=" + "q" * 500,
        "?status=submitted&status=member",
        "?q=%25%5F%00",
    ],
)
def test_odd_queue_filters_still_show_the_queue(client, as_reviewer, query):
    text = page(client.get("/review/" + query))
    assert "<h1>Applications</h1>" in text


# -- e-mailed tokens ---------------------------------------------------------------------------

TOKEN_PAGES = {
    "confirm": ("/account/confirm/", "/account/login", "This confirmation link is invalid"),
    "reset": ("/account/reset/", "/account/reset", "This reset link is invalid"),
    "invite": ("/account/invitation/", "/", "This invitation is invalid"),
}


def good_token(purpose: str, user: User) -> str:
    if purpose == "confirm":
        return make_token("confirm", {"id": user.id, "email": user.email})
    if purpose == "reset":
        return make_token("reset", reset_token_payload(user))
    invitation = Invitation(company=user.company, email="new@example.com", invited_by=user)
    issue_token(invitation)
    db.session.add(invitation)
    db.session.commit()
    return invitation.token


def spoil(kind: str, purpose: str, user: User) -> str:
    """A token that must be refused, made in one of several ways."""
    token = good_token(purpose, user)
    other_purpose = "reset" if purpose != "reset" else "confirm"
    return {
        "garbage": "not-a-token",
        "empty-ish": ".",
        "unicode": "%C3%A9t%C3%A9",
        "truncated": token[:-3],
        # The first character carries six whole bits (the last may hold only padding bits).
        "tampered": ("f" if token[0] != "f" else "g") + token[1:],
        "other purpose": good_token(other_purpose, user),
        "wrong payload": make_token(purpose, ["not", "a", "dict"]),
        "unknown id": make_token(purpose, {"id": 999999, "email": "x@example.com", "h": "x"})
        if purpose != "invite"
        else new_link_token()[0],  # well formed, never issued
    }[kind]


SPOILS = [
    "garbage",
    "empty-ish",
    "unicode",
    "truncated",
    "tampered",
    "other purpose",
    "wrong payload",
    "unknown id",
]


TOKEN_REQUESTS = [
    (purpose, method)
    for purpose in TOKEN_PAGES
    for method in ("GET", "POST")
    if (purpose, method) != ("confirm", "POST")  # the confirmation link is GET only
]


@pytest.mark.parametrize("kind", SPOILS)
@pytest.mark.parametrize(("purpose", "method"), TOKEN_REQUESTS)
def test_bad_tokens_redirect_with_a_message(client, owner_a, purpose, method, kind):
    prefix, target, message = TOKEN_PAGES[purpose]
    token = spoil(kind, purpose, owner_a)
    before = db_state()
    data = {"name": "Eve", "password": "x" * 12, "confirm": "x" * 12}
    url = prefix + token
    response = client.get(url) if method == "GET" else client.submit(url, data)
    assert response.status_code == 302
    assert urlsplit(response.location).path == target
    assert message in flashes(client, response.location)
    assert db_state() == before


@pytest.mark.parametrize("purpose", list(TOKEN_PAGES))
def test_expired_tokens_redirect_with_a_message(app, client, owner_a, monkeypatch, purpose):
    prefix, target, message = TOKEN_PAGES[purpose]
    token = good_token(purpose, owner_a)
    setting = {"confirm": "CONFIRM_TOKEN_MAX_AGE", "reset": "RESET_TOKEN_MAX_AGE"}
    monkeypatch.setitem(app.config, setting.get(purpose, "INVITATION_MAX_AGE"), -1)
    before = db_state()
    response = client.get(prefix + token)
    assert response.status_code == 302
    assert urlsplit(response.location).path == target
    assert message in flashes(client, response.location)
    assert db_state() == before


def test_used_tokens_are_refused(client, owner_a):
    reset = good_token("reset", owner_a)
    invite = good_token("invite", owner_a)
    data = {"name": "Cam", "password": "new password 1", "confirm": "new password 1"}
    assert client.submit("/account/reset/" + reset, data).status_code == 302
    assert client.submit("/account/invitation/" + invite, data).status_code == 302
    client.submit("/account/logout")
    before = db_state()
    for prefix, token in (("/account/reset/", reset), ("/account/invitation/", invite)):
        response = client.submit(prefix + token, {**data, "password": "y" * 12})
        assert response.status_code == 302
        assert "invalid, used or expired" in flashes(client, response.location)
    assert db_state() == before


def test_confirmation_for_a_changed_address_is_refused(client, owner_a):
    token = make_token("confirm", {"id": owner_a.id, "email": "old.address@example.com"})
    response = client.get("/account/confirm/" + token)
    assert response.location == "/account/login"
    assert "This confirmation link is invalid" in flashes(client, response.location)


# -- login -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https:/evil.example",
        "/%09/evil.example",
        "%2F%2Fevil.example",
        "javascript:alert(1)",
        "",
    ],
)
def test_login_never_redirects_off_site(client, owner_a, target):
    response = client.submit(
        f"/account/login?next={target}",
        {"email": owner_a.email, "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert response.location == "/company/"


def test_login_next_cannot_inject_headers(client, owner_a):
    response = client.submit(
        "/account/login?next=/company/%0d%0aSet-Cookie:%20x=1",
        {"email": owner_a.email, "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert urlsplit(response.location).netloc in ("", "localhost")
    assert "\r" not in response.location and "\n" not in response.location
    assert "x=1" not in response.headers.get("Set-Cookie", "")


def test_login_follows_a_same_site_next(client, owner_a):
    response = client.submit(
        "/account/login?next=" + quote("/company/colleagues"),
        {"email": owner_a.email, "password": "correct horse battery"},
    )
    assert response.location == "/company/colleagues"


def login_error(response) -> str:
    text = page(response)
    match = re.search(r'<p class="error" id="password-error">(.*?)</p>', text, re.S)
    assert match, "no error next to the password"
    return match.group(1)


def test_wrong_password_and_unknown_email_look_the_same(client, owner_a):
    wrong_password = client.submit(
        "/account/login", {"email": owner_a.email, "password": "not the password"}
    )
    unknown_email = client.submit(
        "/account/login", {"email": "nobody@example.com", "password": "not the password"}
    )
    assert login_error(wrong_password) == login_error(unknown_email)
    assert "The e-mail address or password is not right." in login_error(unknown_email)


@pytest.mark.parametrize(
    ("data", "field_id"),
    [
        ({"email": "", "password": "x"}, "email"),
        ({"email": "a@example.com", "password": ""}, "password"),
        ({"email": "e" * 300 + "@example.com", "password": "x"}, "email"),
        ({"email": "a@example.com", "password": "p" * 129}, "password"),
    ],
)
def test_login_form_errors(client, data, field_id):
    text = page(client.submit("/account/login", data))
    control_tag = control(text, field_id)
    assert 'aria-invalid="true"' in control_tag


def fail_login(client, email: str = "owner.a@example.com", **kwargs):
    return client.submit("/account/login", {"email": email, "password": "wrong password"}, **kwargs)


def test_sixth_failed_login_is_429(client, owner_a):
    for _ in range(5):
        assert fail_login(client).status_code == 200
    response = fail_login(client)
    assert response.status_code == 429
    # Locked for now, even with the right password.
    right = {"email": owner_a.email, "password": "correct horse battery"}
    assert client.submit("/account/login", right).status_code == 429


def test_failures_with_different_addresses_count_per_client(client):
    for n in range(10):  # LOGIN_LIMIT_PER_ADDRESS: 10 per minute
        assert fail_login(client, f"nobody{n}@example.com").status_code == 200
    assert fail_login(client, "nobody10@example.com").status_code == 429


def test_failures_for_one_address_count_across_clients(client, owner_a):
    for n in range(5):
        response = fail_login(client, environ_base={"REMOTE_ADDR": f"10.0.0.{n + 1}"})
        assert response.status_code == 200
    assert fail_login(client, environ_base={"REMOTE_ADDR": "10.0.0.99"}).status_code == 429


def test_successful_logins_do_not_count(client, auth, owner_a):
    for _ in range(4):
        assert fail_login(client).status_code == 200
    for _ in range(8):
        assert auth.login(owner_a.email).status_code == 302
        auth.logout()
        # Forget the browser, or its own allowance (login_limits) would count from here on.
        client.delete_cookie("tracker_device", path="/account/")
    assert fail_login(client).status_code == 200  # the fifth failure
    assert fail_login(client).status_code == 429


def test_new_colleague_is_invited_once(client, as_owner_a):
    """A colleague's or malformed address gives a field error, not a 500 or a second account."""
    UserFactory(email="colleague@example.com", company=as_owner_a.company)
    before = db_state()
    for email, message in (
        ("COLLEAGUE@example.com", "already has access"),
        ("no-at-sign", "Invalid email address"),
        ("", REQUIRED),
    ):
        text = page(client.submit("/company/colleagues", {"email": email}))
        assert_field_error(text, "email", message)
    assert db_state() == before


def test_colleague_without_ownership_cannot_invite(client, auth, company_a, owner_a):
    colleague = UserFactory(company=company_a)
    auth.login(colleague.email)
    before = db_state()
    text = page(client.submit("/company/colleagues", {"email": "new@example.com"}))
    assert "Only the company&#39;s owner can invite colleagues." in text
    assert db_state() == before
