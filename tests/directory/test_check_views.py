"""The supplier check's page, its CSV download and its API: answers, refusals and limits."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests.factories import CompanyFactory
from tests.fixtures.sql import sql_statements
from tracker.companies.enums import Stage
from tracker.directory.supplier_check.views import OPENAPI_PATHS
from tracker.extensions import db

API = "/api/v1/check"


@pytest.fixture()
def register():
    """A member in Thailand, another in France, and a company suspended since 3 March 2026."""
    lotus = CompanyFactory(
        display_name="Lotus Tours",
        legal_name="Lotus Tours Co., Ltd.",
        stage=Stage.ACTIVE,
        countries=("TH", "KH"),
        membership_number="TC-000123",
    )
    muller = CompanyFactory(
        display_name="Müller Reisen",
        legal_name="Müller Reisen GmbH",
        stage=Stage.ACTIVE,
        countries=("DE",),
        membership_number="TC-000124",
    )
    gone = CompanyFactory(
        display_name="Gone Hotels",
        legal_name="Gone Hotels S.A.",
        stage=Stage.SUSPENDED,
        countries=("FR",),
        membership_number="TC-000125",
    )
    gone.membership.standing_since = datetime(2026, 3, 3, 12, tzinfo=UTC)
    db.session.commit()
    return lotus, muller, gone


def check(client, text: str = "", **data):
    return client.submit("/check", {"suppliers": text, **data})


def page(response) -> str:
    return response.get_data(as_text=True)


def test_the_form_is_open_to_anyone(client):
    text = page(client.get("/check"))
    assert '<label for="suppliers">Your suppliers</label>' in text
    assert '<label for="file">Or choose a CSV file</label>' in text
    assert "Download the results" not in text


def test_a_pasted_list_is_checked_and_kept_in_the_form(client, register):
    typed = "LOTUS TOURS CO LTD\nmuller reisen, Germany\n\nGone Hotels\nNobody Known Travel\n"
    response = check(client, typed)
    text = page(response)
    assert response.status_code == 200
    assert "4 suppliers checked" in text
    assert '<span class="badge badge-success">2</span> members in good standing' in text
    assert '<span class="badge badge-danger">1</span> former member: not a member now' in text
    assert '<span class="badge badge-neutral">1</span> without a match' in text
    assert "Not a member: suspended" in text and "Suspended since March 3, 2026" in text
    assert 'href="/verify/TC-000125"' in text and 'href="/signatories/lotus-tours"' in text
    assert "Same name" in text and "Country: Germany" in text
    assert "% sure" not in text and "Check these" not in text
    assert "LOTUS TOURS CO LTD\nmuller reisen, Germany\n\nGone Hotels" in text  # still in the box
    assert 'formaction="/check.csv"' in text


def test_nothing_to_check_is_said_beside_the_field(client):
    response = check(client, "  \n ")
    text = page(response)
    assert response.status_code == 400
    assert 'id="suppliers-error"' in text and "Paste your list or choose a file." in text


def test_a_thousand_lines_are_checked_and_one_more_is_refused(client, register):
    lines = [f"Supplier number {n}" for n in range(999)] + ["Lotus Tours"]
    accepted = check(client, "\n".join(lines))
    assert accepted.status_code == 200
    assert "1000 suppliers checked" in page(accepted)
    refused = check(client, "\n".join([*lines, "One too many"]))
    text = page(refused)
    assert refused.status_code == 400
    assert "The list has 1,001 lines; check at most 1,000 at a time." in text
    assert "suppliers checked" not in text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Lotus Tours\nBad\x00Name\nOther\x07", "Lines 2, 3 hold invisible control"),
        ("Lotus\u202eTours", "Line 1 holds invisible control or formatting characters"),
    ],
)
def test_invisible_characters_are_refused_naming_the_lines(client, typed, message):
    response = check(client, typed)
    assert response.status_code == 400
    assert message in page(response)
    # Shown back with a visible mark where each was (a NUL may not be in a page at all).
    assert "\ufffd" in page(response) and "\x00" not in page(response)


def test_hostile_lines_get_a_message_each_never_a_500(client, register):
    typed = "\n".join(
        ["x" * 5000, '=HYPERLINK("http://evil.example","click")', ", ,", "<b>Lotus</b>"]
    )
    text = page(check(client, typed))
    assert "This line is longer than 300 characters: shorten it." in text
    assert "This looks like a spreadsheet formula, not a name." in text
    assert "Give the supplier&#39;s name or its membership number." in text
    assert "<b>Lotus</b>" not in text and "&lt;b&gt;Lotus&lt;/b&gt;" in text


def upload(client, content: bytes, filename: str = "suppliers.csv"):
    return client.submit("/check", {"file": (io.BytesIO(content), filename)})


def test_a_csv_file_with_a_bom_and_semicolons_is_checked(client, register):
    content = "\ufeffNom;Pays;Numéro\nLotus Tours;Thaïlande;\nQuelqu'un;France;tc 125\n"
    response = upload(client, content.encode("utf-8"))
    text = page(response)
    assert response.status_code == 200
    assert "2 suppliers checked" in text and "Suspended since March 3, 2026" in text
    assert "Lotus Tours;Thaïlande;" in text  # the file's text fills the box, for the download


def test_a_windows_spreadsheet_file_is_read(client, register):
    response = upload(client, "Müller Reisen;Deutschland\n".encode("cp1252"))
    assert response.status_code == 200
    assert 'badge-success">1</span> member in good standing' in page(response)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a CSV file: save it as CSV"),
        (b"Lotus \x81\x8d Tours\n", "This is not a CSV file: save it as CSV"),
        (b"Lotus Tours\nBad\x1bName\n", "Line 2 holds invisible control"),
        (b"", "There is no supplier in this list."),
    ],
)
def test_unreadable_files_are_refused_beside_the_field(client, content, message):
    response = upload(client, content)
    assert response.status_code == 400
    assert message in page(response)


def download(client, text: str):
    response = client.submit("/check.csv", {"suppliers": text})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="supplier-check.csv"'
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))


def test_the_download_has_every_line_and_is_safe_in_a_spreadsheet(client, register):
    CompanyFactory(display_name="+Plus Tours", legal_name="@Plus Ltd", stage=Stage.ACTIVE)
    rows = download(
        client, 'Lotus Tours, TH\n\'=HYPERLINK("http://evil"), FR\n+Plus Tours\nGone Hotels'
    )
    given = ["Line", "Name given", "Country given", "Membership number given", "Result"]
    assert rows[0][:5] == given
    assert rows[0][-2:] == ["Notes", "Companies to check"]
    assert rows[1] == [
        "1",
        "Lotus Tours",
        "TH",
        "",
        "Same name",
        "Lotus Tours",
        "Lotus Tours Co., Ltd.",
        "TC-000123",
        "Member in good standing",
        datetime.now(UTC).date().isoformat(),
        "KH TH",
        "https://tracker.test/verify/TC-000123",
        "",
        "",
    ]
    assert rows[2][1] == '\'=HYPERLINK("http://evil")'
    assert rows[2][4] == "No match" and "spreadsheet formula" in rows[2][-2]
    assert rows[3][5:7] == ["'+Plus Tours", "'@Plus Ltd"]
    assert rows[4][8:10] == ["Not a member: suspended", "2026-03-03"]


def test_a_refused_download_shows_the_form_again(client):
    response = client.submit("/check.csv", {"suppliers": "Bad\x00"})
    assert response.status_code == 400
    assert "Line 1 holds invisible control" in page(response)


def test_the_form_needs_its_csrf_token(client):
    assert client.post("/check", data={"suppliers": "Lotus Tours"}).status_code == 400


# The API ----------------------------------------------------------------------------------


def api(client, body, **kwargs):
    return client.post(API, json=body, **kwargs)


def test_the_api_answers_json(client, register):
    lotus, _muller, gone = register
    body = {
        "suppliers": [
            {"name": "Lotus Tours Co Ltd", "country": "TH"},
            {"membership_number": "TC-000125"},
            {"name": "Nobody Known", "country": None, "membership_number": None},
        ]
    }
    response = api(client, body)
    assert response.status_code == 200
    data = response.get_json()
    assert data["summary"] == {
        "total": 3,
        "good_standing": 1,
        "report_overdue": 0,
        "former_members": 1,
        "no_match": 1,
        "errors": 0,
        "not_checked": 0,
        "members": 0,
        "ambiguous": 0,
    }
    first, second, third = data["results"]
    assert first == {
        "line": 1,
        "input": {"name": "Lotus Tours Co Ltd", "country": "TH", "membership_number": None},
        "match": {
            "display_name": "Lotus Tours",
            "legal_name": "Lotus Tours Co., Ltd.",
            "membership_number": "TC-000123",
            "countries": ["KH", "TH"],
            "profile_url": "https://tracker.test/signatories/lotus-tours",
            "verify_url": "https://tracker.test/verify/TC-000123",
        },
        "candidates": [],
        "confidence": 99,
        "label": "exact",
        "standing": "good_standing",
        "since": lotus.membership.joined_at.date().isoformat(),
        "notes": [],
        "error": None,
    }
    assert (second["standing"], second["since"], second["confidence"]) == (
        "suspended",
        "2026-03-03",
        100,
    )
    assert second["match"]["profile_url"] is None and gone.display_name == "Gone Hotels"
    assert (third["match"], third["label"], third["standing"], third["since"]) == (
        None,
        "no_match",
        None,
        None,
    )


def test_the_api_speaks_english_whatever_the_browser_asks(client, register):
    body = {"suppliers": [{"name": "Lotus Tours", "country": "Atlantis"}]}
    data = api(client, body, headers={"Accept-Language": "fr"}).get_json()
    assert data["results"][0]["notes"] == ["Unknown country “Atlantis”: not used."]


def error_of(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == status
    return error


@pytest.mark.parametrize(
    ("body", "message", "fields"),
    [
        ([], "The body must be a JSON object", None),
        ({}, "Some fields are not valid", {"suppliers": ["Required: a list of suppliers."]}),
        ({"suppliers": "Lotus"}, "Some fields", {"suppliers": ["Required: a list of suppliers."]}),
        (
            {"suppliers": [], "page": 2},
            "Some fields are not valid",
            {"page": ["Unknown field."]},
        ),
        (
            {"suppliers": [{"name": "Lotus", "city": "Krabi"}, "Lotus", {"name": 3}]},
            "Some fields are not valid",
            {
                "suppliers[0].city": ["Unknown field."],
                "suppliers[1]": [
                    "Must be an object with a name, a country or a membership number."
                ],
                "suppliers[2].name": ["Must be a string or null."],
            },
        ),
        (
            {"suppliers": [{"name": "Lotus", "country": ["TH"], "membership_number": 123}]},
            "Some fields are not valid",
            {
                "suppliers[0].country": ["Must be a string or null."],
                "suppliers[0].membership_number": ["Must be a string or null."],
            },
        ),
        (
            {"suppliers": [{"name": "x"}] * 1001},
            "At most 1,000 suppliers at a time; nothing was checked.",
            {"suppliers": ["1,001 given."]},
        ),
        (
            {"suppliers": [{"name": 1}] * 1001, "page": 2},
            "At most 1,000 suppliers at a time; nothing was checked.",
            {"suppliers": ["1,001 given."]},
        ),
        (
            {"suppliers": [{"c" * 50: "Lotus"}], "p" * 50: 1},
            "Some fields are not valid",
            {
                "suppliers[0]." + "c" * 40 + "…": ["Unknown field."],
                "p" * 40 + "…": ["Unknown field."],
            },
        ),
        ({"suppliers": None}, "Some fields", {"suppliers": ["Required: a list of suppliers."]}),
        (
            {"suppliers": [None, {"name": None, "country": None}]},
            "Some fields",
            {"suppliers[0]": ["Must be an object with a name, a country or a membership number."]},
        ),
    ],
)
def test_the_api_refuses_what_is_not_a_list_of_suppliers(client, body, message, fields):
    error = error_of(api(client, body), 400)
    assert error["message"].startswith(message)
    assert error.get("fields") == fields


@pytest.mark.parametrize(
    "data", [b"{not json", b"\xff\xfe{}", b"[" * 100_000 + b"]" * 100_000, b"", b"null"]
)
def test_the_api_refuses_a_body_that_is_not_json(client, data):
    response = client.post(API, data=data, content_type="application/json")
    assert error_of(response, 400)["message"] in (
        "The body is not valid JSON.",
        'The body must be a JSON object: {"suppliers": [...]}.',
    )


@pytest.mark.parametrize(
    ("data", "content_type"),
    [("suppliers=Lotus", "application/x-www-form-urlencoded"), ("Lotus", "text/plain"), ("", None)],
)
def test_the_api_takes_json_only(client, data, content_type):
    response = client.post(API, data=data, content_type=content_type)
    assert error_of(response, 415)["message"].startswith("Send the list as JSON")


def test_a_body_too_large_is_refused_as_json(client):
    body = json.dumps({"suppliers": [{"name": "x" * 1000}] * 1100})
    response = client.post(API, data=body, content_type="application/json")
    error_of(response, 413)


def test_lines_the_api_cannot_match_have_an_error_each(client):
    names = ["x" * 301, "Nul\x00Tours", "", "=1+1"]
    data = api(client, {"suppliers": [{"name": name} for name in names]}).get_json()
    assert [result["error"] for result in data["results"]] == [
        "This line is longer than 300 characters: shorten it.",
        "Remove the invisible control or formatting characters from this line.",
        "Give the supplier's name or its membership number.",
        "This looks like a spreadsheet formula, not a name.",
    ]
    assert data["summary"]["errors"] == 4


def test_checks_are_limited_per_address_across_page_and_api(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "SUPPLIER_CHECK_RATE_LIMIT", "3 per minute")
    assert check(client, "Lotus Tours").status_code == 200
    assert client.submit("/check.csv", {"suppliers": "Lotus Tours"}).status_code == 200
    assert api(client, {"suppliers": []}).status_code == 200
    refused = api(client, {"suppliers": []})
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert error_of(refused, 429)["message"]
    page_refused = check(client, "Lotus Tours")
    assert page_refused.status_code == 429 and "Retry-After" in page_refused.headers
    other = {"environ_base": {"REMOTE_ADDR": "203.0.113.9"}}
    assert api(client, {"suppliers": []}, **other).status_code == 200
    assert client.get("/check").status_code == 200  # showing the form is not limited


def test_the_queries_do_not_grow_with_the_list(client, register):
    check(client, "warm the index")

    def statements(count: int) -> int:
        body = {"suppliers": [{"name": "Lotus Tours", "country": "TH"}] * count}
        with sql_statements() as sent:
            assert api(client, body).status_code == 200
        return len(sent)

    assert statements(3) == statements(300)


def test_the_api_matches_its_openapi_description(app, register, monkeypatch):
    """The path item the API document takes in, held to the route by schemathesis."""
    monkeypatch.setitem(app.config, "SUPPLIER_CHECK_RATE_LIMIT", "100000 per minute")
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Supplier check", "version": "1"},
        "paths": OPENAPI_PATHS,
    }
    schema = schemathesis.openapi.from_dict(document)
    schema.app = app
    (operation,) = [result.ok() for result in schema.get_all_operations()]
    for mode in GenerationMode:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def call(case):
            case.call_and_validate()

        call()


def test_a_match_whose_legal_name_is_not_listed_keeps_to_the_description(app, monkeypatch):
    """A member may keep its legal name off the public record: the match says null there,
    as its description allows."""
    monkeypatch.setitem(app.config, "SUPPLIER_CHECK_RATE_LIMIT", "100000 per minute")
    CompanyFactory(
        display_name="Quiet Tours", stage=Stage.ACTIVE, countries=("TH",), publish_legal_name=False
    )
    db.session.commit()
    document = {"openapi": "3.0.3", "info": {"title": "Check", "version": "1"}}
    schema = schemathesis.openapi.from_dict(document | {"paths": OPENAPI_PATHS})
    schema.app = app
    (operation,) = [result.ok() for result in schema.get_all_operations()]
    case = operation.Case(body={"suppliers": [{"name": "Quiet Tours", "country": "TH"}]})
    response = case.call_and_validate()
    assert response.json()["results"][0]["match"]["legal_name"] is None


def test_lines_past_the_time_budget_say_so_on_the_page_the_csv_and_the_api(
    client, app, register, monkeypatch
):
    monkeypatch.setitem(app.config, "SUPPLIER_CHECK_TIME_BUDGET", -1)  # no time at all
    text = page(check(client, "Lotus Tours\nGone Hotels"))
    assert '<span class="badge badge-warning">2</span> lines left out: time ran out' in text
    assert "The check ran out of time: 2 lines were not checked." in text
    assert text.count("Not checked: time ran out") == 2
    rows = download(client, "Lotus Tours")
    assert rows[1][4] == "Not checked: time ran out"
    assert "ran out of time before this line" in rows[1][-2]
    data = api(client, {"suppliers": [{"name": "Lotus Tours"}]}).get_json()
    assert (data["results"][0]["label"], data["results"][0]["match"]) == ("not_checked", None)
    assert data["results"][0]["notes"] == [
        "The check ran out of time before this line: check it again in a shorter list."
    ]
    assert (data["summary"]["not_checked"], data["summary"]["no_match"]) == (1, 0)
    client.submit("/language", {"language": "fr", "next": "/check"})
    french = page(check(client, "Lotus Tours"))
    assert "Non vérifiée : temps écoulé" in french


# Names several members have --------------------------------------------------------------


@pytest.fixture()
def namesakes():
    """Three companies called Davis Hotel: members in Britain and Ireland, one suspended."""
    made = [
        CompanyFactory(
            display_name="Davis Hotel",
            legal_name=f"Davis Hotel {country} Ltd",
            stage=stage,
            countries=(country,),
            membership_number=number,
        )
        for country, number, stage in (
            ("GB", "TC-000301", Stage.ACTIVE),
            ("IE", "TC-000302", Stage.ACTIVE),
            ("US", "TC-000303", Stage.SUSPENDED),
        )
    ]
    db.session.commit()
    return made


def test_namesakes_are_listed_to_check_not_counted(client, namesakes):
    text = page(check(client, "Davis Hotel\nDavis Hotel, GB"))
    assert '<span class="badge badge-warning">1</span> <a href="#check-these-heading">' in text
    assert "line to check: several companies have that name" in text
    assert '<span class="badge badge-success">1</span> member in good standing' in text
    assert '<h3 id="check-these-heading">Check these</h3>' in text
    assert "3 companies have this name: check which one" in text
    for number in ("TC-000301", "TC-000302", "TC-000303"):
        assert f'<a href="/verify/{number}">' in text
    assert "United Kingdom" in text and "Ireland" in text and "United States" in text
    assert text.count('href="/signatories/davis-hotel') == 3  # 2 candidates, 1 match
    assert "Not a member: suspended" in text
    for gone in ("% sure", "Exact match", "other companies have names this close"):
        assert gone not in text


def test_namesakes_in_the_csv_and_the_api(client, namesakes):
    rows = download(client, "Davis Hotel\nDavis Hotel, GB")
    davis, british = rows[1], rows[2]
    assert davis[4] == "3 companies have this name: check which one"
    assert davis[5] == ""
    assert "Davis Hotel (TC-000301, GB, Member in good standing)" in davis[-1]
    assert "Davis Hotel (TC-000303, US, Not a member: suspended)" in davis[-1]
    assert (british[4], british[7], british[-1]) == ("Same name", "TC-000301", "")
    data = api(client, {"suppliers": [{"name": "Davis Hotel"}]}).get_json()
    (result,) = data["results"]
    assert (result["label"], result["match"], data["summary"]["ambiguous"]) == (
        "ambiguous",
        None,
        1,
    )
    assert sorted(
        (c["membership_number"], c["countries"], c["standing"]) for c in result["candidates"]
    ) == [
        ("TC-000301", ["GB"], "good_standing"),
        ("TC-000302", ["IE"], "good_standing"),
        ("TC-000303", ["US"], "suspended"),
    ]


def test_the_new_wording_is_french_and_spanish(client, namesakes):
    client.submit("/language", {"language": "fr", "next": "/check"})
    french = page(check(client, "Davis Hotel\nDavis Hotel, GB"))
    assert "3 entreprises portent ce nom : vérifiez laquelle" in french
    assert "À vérifier" in french and "Même nom" in french
    client.submit("/language", {"language": "es", "next": "/check"})
    spanish = page(check(client, "Davis Hotel\nDavis Hotel, GB"))
    assert "3 empresas tienen este nombre: compruebe cuál" in spanish
    assert "Para comprobar" in spanish and "Mismo nombre" in spanish


def test_a_match_names_its_countries_in_the_reader_language(client, register):
    client.submit("/language", {"language": "es", "next": "/check"})
    spanish = page(check(client, "Lotus Tours"))
    # Sorted as a reader sorts them, by name in Spanish (Camboya before Tailandia), not by code.
    assert "TC-000123</span></a> · Camboya, Tailandia" in spanish
