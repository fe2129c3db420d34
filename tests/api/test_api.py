"""The open-data API: the directory as JSON, errors as JSON, limits per client."""

from xml.etree import ElementTree

import pytest

from tests.directory.test_signatories import members  # noqa: F401 (a fixture)
from tests.factories import CompanyFactory
from tracker.companies.enums import Stage
from tracker.extensions import db
from tracker.membership import services as membership_services

ATOM = "{http://www.w3.org/2005/Atom}"


def test_signatories_with_filters_total_and_links(client, members):  # noqa: F811
    answer = client.get("/api/v1/signatories?country=BR&per_page=20")
    assert answer.status_code == 200
    body = answer.get_json()
    assert [item["name"] for item in body["data"]] == ["Andes Air", "Hotel São Paulo"]
    assert body["meta"] == {"total": 2, "page": 1, "per_page": 20, "pages": 1}
    assert body["links"]["next"] is None and body["links"]["previous"] is None
    andes = body["data"][0]
    assert andes["countries"] == ["BR", "PE"] and andes["type"] == "airline"
    assert andes["standing"] == "good_standing" and andes["member_since"] == "2026-05-01"
    assert andes["profile_url"] == "https://tracker.test/signatories/andes-air"
    assert andes["verify_url"].startswith("https://tracker.test/verify/TC-")


def test_pages_link_to_each_other(client):
    for n in range(45):
        CompanyFactory(stage=Stage.ACTIVE, display_name=f"Beach Hotel {n:02d}")
    body = client.get("/api/v1/signatories?q=beach&page=2").get_json()
    assert [item["name"] for item in body["data"]][:1] == ["Beach Hotel 20"]
    links = body["links"]
    assert links["next"] == "https://tracker.test/api/v1/signatories?q=beach&page=3"
    assert links["previous"] == "https://tracker.test/api/v1/signatories?q=beach&page=1"
    assert links["last"].endswith("page=3")
    beyond = client.get("/api/v1/signatories?q=beach&page=7").get_json()
    assert beyond["data"] == [] and beyond["links"]["previous"].endswith("page=3")


@pytest.mark.parametrize(
    ("query", "field"),
    [("country=ZZ", "country"), ("page=0", "page"), ("per_page=7", "per_page"), ("sort=x", "sort")],
)
def test_bad_values_are_400_with_the_field(client, members, query, field):  # noqa: F811
    answer = client.get("/api/v1/signatories?" + query)
    assert answer.status_code == 400
    error = answer.get_json()["error"]
    assert error["status"] == 400 and list(error["fields"]) == [field]


def test_unknown_parameters_are_400_not_ignored(client, members):  # noqa: F811
    answer = client.get("/api/v1/signatories?contry=FR")
    assert answer.status_code == 400
    assert answer.get_json()["error"]["message"] == "Unknown parameter: contry."


def test_a_profile_with_reports_and_criteria(client, members):  # noqa: F811
    body = client.get("/api/v1/signatories/late-tours").get_json()["data"]
    assert body["name"] == "Late Tours" and body["standing"] == "report_overdue"
    assert body["operations"] == [{"country": "TH", "property_name": None, "city": None}]
    assert [c["number"] for c in body["criteria"]] == [1, 2, 3, 4, 5, 6]
    assert body["reports"] == []


def test_profiles_of_non_members_and_unknown_ones_are_json_404(client, members):  # noqa: F811
    gone = CompanyFactory(stage=Stage.SUSPENDED)
    for slug in (gone.slug, "nobody"):
        answer = client.get(f"/api/v1/signatories/{slug}")
        assert answer.status_code == 404
        assert answer.get_json()["error"]["message"] == "No member has this address."


def test_a_renamed_member_redirects(client, members):  # noqa: F811
    members["lotus"].display_name = "Lotus Journeys"
    db.session.commit()
    answer = client.get("/api/v1/signatories/lotus-tours")
    assert answer.status_code == 301
    assert answer.headers["Location"] == "/api/v1/signatories/lotus-journeys"


def test_countries_count_members_by_type(client, members):  # noqa: F811
    body = client.get("/api/v1/countries").get_json()["data"]
    by_code = {row["country"]: row for row in body}
    assert by_code["BR"]["members"] == 2
    assert by_code["BR"]["by_type"] == {"tour_operator": 1, "airline": 1}
    assert by_code["TH"]["members"] == 2  # the suspended one does not count
    assert by_code["TH"]["name"] == "Thailand"


def test_country_names_for_programs_stay_iso_english(client, members):  # noqa: F811
    """Pages name countries as CLDR does, in the reader's language; the API keeps ISO's English
    short names, whatever the request's language, so programs matching on them do not break."""
    CompanyFactory(stage=Stage.ACTIVE, countries=("CI", "RU"))
    answer = client.get("/api/v1/countries", headers={"Accept-Language": "es"})
    names = {row["country"]: row["name"] for row in answer.get_json()["data"]}
    assert names["CI"] == "Côte d'Ivoire" and names["RU"] == "Russian Federation"


def test_errors_are_json_never_html(client):
    for answer in (
        client.get("/api/v1/nothing-here"),
        client.post("/api/v1/signatories"),
        client.get("/api/v1/countries?x=1"),
    ):
        assert answer.is_json, answer.status_code
        assert answer.get_json()["error"]["status"] == answer.status_code


def test_each_client_is_limited_with_retry_after(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    here = {"REMOTE_ADDR": "203.0.113.9"}
    statuses = [client.get("/api/v1/countries", environ_base=here).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/countries", environ_base=here)
    assert refused.is_json and refused.get_json()["error"]["status"] == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    elsewhere = client.get("/api/v1/countries", environ_base={"REMOTE_ADDR": "203.0.113.10"})
    assert elsewhere.status_code == 200


def test_answers_carry_an_etag_and_304(client, members):  # noqa: F811
    first = client.get("/api/v1/signatories?country=TH")
    again = client.get(
        "/api/v1/signatories?country=TH", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_the_csv_streams_every_match_with_safe_cells(client, members):  # noqa: F811
    CompanyFactory(stage=Stage.ACTIVE, display_name="=HYPERLINK(1)", countries=("TH",))
    answer = client.get("/signatories.csv?country=TH")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == 'attachment; filename="signatories.csv"'
    text = answer.get_data(as_text=True)
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("name,legal_name,type")
    assert [line.split(",")[0] for line in lines[1:]] == [
        "'=HYPERLINK(1)",
        "Late Tours",
        "Lotus Tours",
    ]
    assert client.get("/signatories.csv?country=ZZ").status_code == 400


def test_csv_downloads_are_limited_per_client(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CSV_RATE_LIMIT", "2 per minute")
    here = {"REMOTE_ADDR": "203.0.113.20"}
    codes = [client.get("/signatories.csv", environ_base=here).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    refused = client.get("/signatories.csv", environ_base=here)
    assert 0 < int(refused.headers["Retry-After"]) <= 60


def test_the_feed_lists_listing_changes_newest_first(client, reviewer, members):  # noqa: F811
    company = members["lotus"]
    membership_services.suspend_membership(company, reviewer, "Unpaid fee for two years")
    db.session.commit()
    membership_services.reinstate_membership(company, reviewer, "Paid")
    db.session.commit()
    answer = client.get("/signatories/changes.atom")
    assert answer.status_code == 200 and answer.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(answer.get_data())
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles[:2] == [
        "Lotus Tours: membership reinstated",
        "Lotus Tours: membership suspended",
    ]
    assert b"Unpaid fee" not in answer.get_data()  # staff's reasons stay private
    links = [entry.find(f"{ATOM}link").get("href") for entry in feed.iter(f"{ATOM}entry")]
    assert links[0] == "https://tracker.test/signatories/lotus-tours"


def test_the_feed_carries_a_name_stored_with_characters_xml_cannot(client, reviewer, members):  # noqa: F811
    """Names stored before U+FFFF and the like were refused at input are stripped, not a 500."""
    company = members["lotus"]
    company.display_name = "Lotus\uffff Tours\x0b"
    membership_services.suspend_membership(company, reviewer, "Unpaid fee")
    db.session.commit()
    answer = client.get("/signatories/changes.atom")
    assert answer.status_code == 200
    feed = ElementTree.fromstring(answer.get_data())
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles[0] == "Lotus Tours: membership suspended"
