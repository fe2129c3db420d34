"""The public country pages: the world map with its table, and each country's members."""

import html
import json
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import CompanyFactory
from tests.fixtures.sql import sql_statements
from tests.reports.helpers import member as reporting_member
from tests.reports.helpers import ready_report
from tracker.companies.enums import CompanyType, Stage
from tracker.companies.operations import Operation
from tracker.directory.countries import worldmap
from tracker.directory.countries.figures import CountryCount, members_by_country
from tracker.extensions import cache, db
from tracker.reports import services
from tracker.reports.training import StaffGroup

TOUR = CompanyType.TOUR_OPERATOR
CHAIN = CompanyType.HOTEL_CHAIN


def member(name: str, countries=("TH",), **kwargs):
    return CompanyFactory(display_name=name, stage=Stage.ACTIVE, countries=countries, **kwargs)


def chain(name: str, *properties: tuple[str, str, str], **kwargs):
    """A member hotel chain with (country, property, city) operations."""
    operations = [
        Operation(country_code=c, property_name=p, city=city) for c, p, city in properties
    ]
    return CompanyFactory(
        display_name=name, stage=Stage.ACTIVE, type=CHAIN, operations=operations, **kwargs
    )


def map_links(text: str) -> dict[str, str]:
    """The map's links: country code -> accessible name."""
    links = re.findall(
        r'<a href="/countries/(\w\w)" class="map-country[^"]*" aria-label="([^"]*)"', text
    )
    return dict(links)


def table(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """The table under the map: its column headings, and each row's cells by country code."""
    head = re.search(r"<thead>(.*?)</thead>", text, re.S).group(1)
    headings = re.findall(r'<th scope="col">([^<]*)</th>', head)
    rows = re.findall(
        r'<th scope="row"><a href="/countries/(\w\w)">[^<]*</a></th>(.*?)</tr>', text, re.S
    )
    return headings, {code: re.findall(r"<td[^>]*>([^<]*)</td>", cells) for code, cells in rows}


def names_listed(text: str) -> list[str]:
    return [
        html.unescape(n) for n in re.findall(r'class="member-name[^"]*"><a [^>]*>([^<]*)<', text)
    ]


def links(text: str, rel: str) -> list[dict]:
    """The query of each pager link with this rel, as a dict of lists."""
    found = re.findall(rf'<a href="([^"]*)" rel="{rel}">', text)
    return [parse_qs(urlsplit(html.unescape(href)).query) for href in found]


@pytest.fixture()
def members():
    """Members in France and Thailand, and companies that must not count anywhere."""
    member("Alpha Tours", countries=("FR", "TH"))
    member("Beta Tours", countries=("FR",), hq_country="FR")
    chain("Gamma Hotels", *(("TH", f"Gamma {n}", "Bangkok") for n in range(3)))
    CompanyFactory(display_name="Suspended Tours", stage=Stage.SUSPENDED, countries=("DE", "TH"))
    CompanyFactory(display_name="Withdrawn Tours", stage=Stage.WITHDRAWN, countries=("ES", "TH"))
    CompanyFactory(display_name="Applicant Tours", countries=("IT", "TH"))  # not signed yet


# The map and its table ---------------------------------------------------------------------


def test_the_map_links_each_member_country_with_its_name_and_count(client, members):
    text = client.get("/countries").get_data(as_text=True)
    # Gamma's three hotels count once; the suspended, withdrawn and applicant count nowhere.
    assert map_links(text) == {"FR": "France: 2 members", "TH": "Thailand: 2 members"}
    assert "<title>France: 2 members</title>" in text
    for code in ("DE", "ES", "IT", "US"):
        assert f'href="/countries/{code}"' not in text
    assert 'class="map-land" aria-hidden="true"' in text


def test_the_table_gives_each_country_its_members_by_type(client, members):
    headings, rows = table(client.get("/countries").get_data(as_text=True))
    # Only the types with members get a column, in the order types are listed.
    assert headings == ["Country", "Hotel chain", "Tour operator", "All members"]
    assert rows == {"FR": ["0", "2", "2"], "TH": ["1", "1", "2"]}
    # On a phone each cell is shown under its column's heading.
    text = client.get("/countries").get_data(as_text=True)
    assert '<td data-label="Tour operator">2</td>' in text
    assert '<td data-label="All members">2</td>' in text
    assert list(rows) == ["FR", "TH"]


def test_countries_are_in_the_readers_alphabetical_order(client):
    for code in ("ZA", "AT", "AX", "AF"):
        member(f"Member in {code}", countries=(code,))
    _, rows = table(client.get("/countries").get_data(as_text=True))
    # Åland sorts with the A's (by collation), not after Z as its first code point would.
    assert list(rows) == ["AF", "AX", "AT", "ZA"]
    french = client.get("/countries", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    # Afghanistan, Afrique du Sud, Autriche, Îles Åland (CLDR's French name).
    assert list(table(french)[1]) == ["AF", "ZA", "AT", "AX"]


def test_shades_grow_with_the_count(client):
    for n in range(5):
        member(f"Lao member {n}", countries=("LA",))
    member("Cambodian member", countries=("KH",))
    text = client.get("/countries").get_data(as_text=True)
    assert '<a href="/countries/LA" class="map-country map-tier-2"' in text
    assert '<a href="/countries/KH" class="map-country map-tier-1"' in text
    assert "5 to 19 members" in text  # the legend


def test_no_members_yet(client):
    CompanyFactory(stage=Stage.SUSPENDED, countries=("TH",))
    response = client.get("/countries")
    assert response.status_code == 200
    assert "No company is a member of The Code yet." in response.get_data(as_text=True)


def test_members_by_country_counts_in_one_query_each_member_once_per_country(members):
    member("Delta Air", countries=("FR", "TH", "KH"), type=CompanyType.AIRLINE)
    cache.clear()
    with sql_statements() as statements:
        counts = members_by_country()
    # The data version the cache is keyed on, then the figures in one grouped query.
    assert len(statements) == 2 and "GROUP BY operations.country_code" in statements[1]
    assert counts == [
        CountryCount("FR", 3, {TOUR: 2, CompanyType.AIRLINE: 1}),
        CountryCount("KH", 1, {CompanyType.AIRLINE: 1}),
        CountryCount("TH", 3, {TOUR: 1, CHAIN: 1, CompanyType.AIRLINE: 1}),
    ]
    with sql_statements() as statements:
        assert members_by_country() == counts
    assert len(statements) == 1  # kept: only the data version is read


def test_the_world_page_stays_light_with_members_everywhere(client):
    codes = [code for code in worldmap.world_map().shapes if code != "XK"]  # Kosovo: no ISO code
    member("Everywhere Travel", countries=tuple(codes))
    text = client.get("/countries").get_data(as_text=True)
    assert len(map_links(text)) == len(codes)
    assert len(text.encode()) < 200_000


# A country's page -------------------------------------------------------------------------


def test_a_country_lists_the_members_operating_there_not_only_those_based_there(client):
    member("Based Abroad", countries=("TH",), hq_country="FR")
    member("Based Here, Working Abroad", countries=("FR",), hq_country="TH")
    member("Both", countries=("TH", "FR"), hq_country="TH")
    assert names_listed(client.get("/countries/TH").get_data(as_text=True)) == [
        "Based Abroad",
        "Both",
    ]
    assert names_listed(client.get("/countries/FR").get_data(as_text=True)) == [
        "Based Here, Working Abroad",
        "Both",
    ]


def test_each_member_shows_its_type_properties_there_since_and_standing(client):
    company = chain(
        "Lotus Hotels",
        ("TH", "Lotus Riverside", "Bangkok"),
        ("TH", "Lotus Hills", "Chiang Mai"),
        ("FR", "Lotus Paris", "Paris"),
    )
    text = client.get("/countries/TH").get_data(as_text=True)
    assert f'<a href="/signatories/{company.slug}">Lotus Hotels</a>' in text
    assert "Hotel chain" in text
    assert "Lotus Riverside (Bangkok)" in text and "Lotus Hills (Chiang Mai)" in text
    assert "Lotus Paris" not in text  # not in this country
    joined = company.membership.joined_at.date().isoformat()
    assert f'<time datetime="{joined}">' in text
    assert '<span class="badge badge-success">In good standing</span>' in text


def test_suspended_withdrawn_and_applicants_are_not_listed(client, members):
    text = client.get("/countries/TH").get_data(as_text=True)
    assert names_listed(text) == ["Alpha Tours", "Gamma Hotels"]
    assert "2 members work in Thailand." in text
    for name in ("Suspended Tours", "Withdrawn Tours", "Applicant Tours"):
        assert name not in text


def test_filter_by_type_and_by_city(client):
    chain("Lotus Hotels", ("TH", "Lotus Riverside", "Bangkok"))
    chain("Orchid Hotels", ("TH", "Orchid Hills", "Chiang Mai"))
    member("Sunrise Tours", countries=("TH",))
    chain("Paris Hotels", ("FR", "Paris Inn", "Paris"))
    page = client.get("/countries/TH").get_data(as_text=True)
    cities = re.search(r'<select id="city" name="city">(.*?)</select>', page).group(1)
    assert re.findall(r'<option value="([^"]*)"', cities) == ["", "Bangkok", "Chiang Mai"]
    by_type = client.get("/countries/TH?type=hotel_chain").get_data(as_text=True)
    assert names_listed(by_type) == ["Lotus Hotels", "Orchid Hotels"]
    assert "2 members match." in by_type
    by_city = client.get("/countries/TH", query_string={"city": "Chiang Mai"})
    assert names_listed(by_city.get_data(as_text=True)) == ["Orchid Hotels"]
    none = client.get("/countries/TH?type=airline").get_data(as_text=True)
    assert names_listed(none) == [] and "No member in Thailand matches these filters." in none


def test_pages_of_members_keep_the_filters(client):
    for n in range(1, 26):
        member(f"Member {n:02d}", countries=("TH",))
    first = client.get("/countries/TH?type=tour_operator").get_data(as_text=True)
    assert names_listed(first) == [f"Member {n:02d}" for n in range(1, 21)]
    assert links(first, "next") == [{"page": ["2"], "type": ["tour_operator"]}]
    assert links(first, "prev") == []
    second = client.get("/countries/TH?type=tour_operator&page=2").get_data(as_text=True)
    assert names_listed(second) == [f"Member {n:02d}" for n in range(21, 26)]
    assert links(second, "prev") == [{"type": ["tour_operator"]}]  # page 1 has no number
    assert links(second, "next") == []
    assert "Page 2 of 2" in second
    all_at_once = client.get("/countries/TH?per_page=50").get_data(as_text=True)
    assert len(names_listed(all_at_once)) == 25 and 'class="pager"' not in all_at_once


def test_a_page_past_the_last_is_404_with_a_way_back(client):
    for n in range(3):
        member(f"Member {n}", countries=("TH",))
    response = client.get("/countries/TH?page=3&type=tour_operator")
    text = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "There is no page 3: the list has only 1 page." in text
    assert '<a href="/countries/TH?type=tour_operator">Go to the last page</a>' in text


@pytest.mark.parametrize(
    "query",
    [
        {"page": "0"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "99999999999999999999999"},
        {"per_page": "7"},
        {"per_page": "1000000"},
        {"type": "spaceship"},
        {"city": "Atlantis"},
    ],
)
def test_filters_the_page_does_not_offer_are_400_with_the_message_beside_the_field(client, query):
    member("Lotus Tours", countries=("TH",))
    response = client.get("/countries/TH", query_string=query)
    text = response.get_data(as_text=True)
    (field,) = query
    assert response.status_code == 400
    assert f'id="{field}-error"' in text and 'aria-invalid="true"' in text
    assert "Lotus Tours" not in text  # nothing is listed under filters that were not applied
    assert text.startswith("<!doctype html>") and "<title>Error: " in text


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"type": "<script>alert(1)</script>"}, 400),
        ({"city": "<script>alert(1)</script>"}, 400),
        ({"page": "<script>alert(1)</script>"}, 400),
        ({"city": "x" * 10_000}, 400),
        ({"page": "9" * 10_000}, 400),
        ({"type": "hotel\x00"}, 400),
        ({"city": "Bang\x00kok"}, 400),
        ({"page": "1\x00"}, 400),
        ({"city": "Bang\x1bkok"}, 400),
        ({"q": "<script>alert(1)</script>", "sort": "\x00"}, 200),  # not ours: ignored
    ],
)
def test_malicious_query_strings_are_refused_or_ignored_never_a_500(client, query, status):
    member("Lotus Tours", countries=("TH",))
    response = client.get("/countries/TH", query_string=query)
    text = response.get_data(as_text=True)
    assert response.status_code == status
    assert "<script>alert" not in text and "\x00" not in text and "\x1b" not in text
    assert 'value="xxxxx' not in text  # a refused city is not shown back
    shown = re.search(r'name="page" type="text" value="([^"]*)"', text)
    assert (
        shown is None or len(html.unescape(shown.group(1))) <= 20
    )  # a refused page number, cut short


@pytest.mark.parametrize(
    "path",
    [
        "/countries/XX",  # not assigned
        "/countries/xx",  # not assigned either: no redirect to a page that does not exist
        "/countries/FRA",
        "/countries/F",
        "/countries/%C5%BFe",  # "ſe": upper-cases to SE, but is not a code
        "/countries/%3Cscript%3E",
        "/countries/" + "A" * 5_000,
        "/countries/T%00",
    ],
)
def test_an_unknown_country_is_a_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_a_lower_case_code_moves_permanently_to_the_upper_case_page_with_its_filters(client):
    response = client.get("/countries/th?type=hotel&city=Chiang%20Mai")
    assert response.status_code == 301
    location = urlsplit(response.location)
    assert location.path == "/countries/TH"
    assert parse_qs(location.query) == {"type": ["hotel"], "city": ["Chiang Mai"]}
    assert client.get("/countries/Th").location == "/countries/TH"


def test_a_country_without_members_has_a_page_saying_so(client, members):
    response = client.get("/countries/BT")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No member of The Code works in Bhutan yet." in text
    assert '<a href="/signatories">' in text
    assert "Where to report a concern in Bhutan" in text


def test_pages_are_kept_for_anonymous_visitors_and_answer_a_conditional_get_with_304(client):
    member("Lotus Tours", countries=("TH",))
    for url in ("/countries", "/countries/TH", "/countries/TH?type=tour_operator"):
        first = client.get(url)
        assert first.status_code == 200 and first.headers["ETag"]
        assert first.headers["Cache-Control"].startswith("public")
        assert "Set-Cookie" not in first.headers  # the session is never touched
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert (again.status_code, again.data) == (304, b"")
    member("Orchid Tours", countries=("TH",))  # the data changed: the page is made anew
    changed = client.get("/countries/TH", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and "Orchid Tours" in changed.get_data(as_text=True)


# Queries: the same few whatever the page lists ---------------------------------------------


def statements_for(client, url: str) -> int:
    cache.clear()  # nothing kept from before: the page and its figures are computed
    with sql_statements() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_a_country_page_costs_the_same_queries_for_2_members_or_20(client):
    member("Warm-up", countries=("FR",))
    statements_for(client, "/countries/FR")  # first request: whatever loads once per process
    for n in range(2):
        chain(f"Chain {n:02d}", *(("TH", f"Hotel {n}-{p}", f"City {p}") for p in range(3)))
    few = statements_for(client, "/countries/TH")
    for n in range(2, 40):
        chain(f"Chain {n:02d}", *(("TH", f"Hotel {n}-{p}", f"City {p}") for p in range(3)))
    many = statements_for(client, "/countries/TH")
    # Each figure kept (count, cities, coverage) checks the data version; +1: representatives.
    assert few == many <= 12


def test_the_world_page_costs_the_same_queries_for_2_countries_or_40(client):
    member("Warm-up", countries=("FR",))
    statements_for(client, "/countries")
    member("Second", countries=("TH",))
    few = statements_for(client, "/countries")
    codes = sorted(worldmap.world_map().shapes)[:40]
    for code in codes:
        member(f"Member in {code}", countries=(code,))
    many = statements_for(client, "/countries")
    assert few == many <= 3


# Training coverage and where to report a concern --------------------------------------------


def test_training_coverage_comes_from_accepted_reports_only(client, reviewer, monkeypatch):
    monkeypatch.setattr(services, "today", lambda: date(2026, 6, 1))
    accepted, owner = reporting_member(display_name="Accepted Tours", countries=("TH", "KH"))
    report = ready_report(accepted, owner)  # 2025: 10 employees per country, 8 trained
    services.submit_report(report, owner, report.version, date(2026, 2, 1))
    services.accept_report(report, reviewer, "", report.version)
    pending, other = reporting_member(display_name="Pending Tours", countries=("TH",))
    waiting = ready_report(pending, other)
    services.submit_report(waiting, other, waiting.version, date(2026, 2, 1))
    db.session.commit()
    text = client.get("/countries/TH").get_data(as_text=True)
    row = re.search(r'<th scope="row">2025</th>(.*?)</tr>', text).group(1)
    # A row without its currently trained counts those trained this year as current.
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == ["1", "10", "8", "8", "80%"]
    assert 'id="coverage-chart-title"' in text  # the chart beside the table
    other_country = client.get("/countries/FR").get_data(as_text=True)
    assert "No annual report accepted by ECPAT gives staff-training figures" in other_country


def test_country_coverage_is_the_currently_trained_share(client, reviewer, monkeypatch):
    monkeypatch.setattr(services, "today", lambda: date(2026, 6, 1))
    for name, groups in (
        ("Front Tours", {StaffGroup.FRONT_LINE: (30, 3, 24), StaffGroup.MANAGEMENT: (10, 1, 6)}),
        ("Office Tours", {StaffGroup.OTHER: (10, 0, 5)}),
    ):
        company, owner = reporting_member(display_name=name, countries=("TH",))
        report = ready_report(company, owner)
        for training in report.training:
            training.groups.clear()  # only these groups (the helper's deleted first)
            db.session.flush()
            for staff_group, (employees, trained, current) in groups.items():
                group = training.group(staff_group)
                group.employees, group.new_e_learning, group.current = employees, trained, current
            training.add_up()
        services.submit_report(report, owner, report.version, date(2026, 2, 1))
        services.accept_report(report, reviewer, "", report.version)
    db.session.commit()
    text = client.get("/countries/TH").get_data(as_text=True)
    row = re.search(r'<th scope="row">2025</th>(.*?)</tr>', text).group(1)
    # 50 employees, 4 trained in 2025, 35 currently trained: 70% coverage, not 8%.
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == ["2", "50", "4", "35", "70%"]
    assert "Training counts as current for 2 years." in text
    french = client.get("/countries/TH", headers={"Accept-Language": "fr"})
    assert "Actuellement formés" in french.get_data(as_text=True)


def test_the_concern_panel_follows_ecpats_order_and_never_sends_reports_to_ecpat(app, client):
    text = client.get("/countries/TH").get_data(as_text=True)
    assert "Where to report a concern in Thailand" in text
    emergency = text.index("call the local emergency number or the police")
    helpline = text.index('href="https://childhelplineinternational.org/helplines/"')
    online = text.index('href="https://www.inhope.org/EN/articles/report-here"')
    assert emergency < helpline < online
    assert "mailto:" not in text.split('id="concern-heading"')[1].split("</section>")[0]
    assert app.config["CONTACT_EMAIL"] not in text.split('id="concern-heading"')[1]
    assert "Other contacts in Thailand" not in text  # no file: no national contact is made up
    french = client.get("/countries/TH", headers={"Accept-Language": "fr"})
    assert "Child Helpline International" in french.get_data(as_text=True)


def test_verified_national_contacts_come_from_the_deployments_file(
    app, client, tmp_path, monkeypatch
):
    contacts = {
        "TH": [
            {
                "kind": "helpline",
                "name": "Checked Hotline",
                "phone": "+66 2 000 0000",
                "url": "https://hotline.example/th",
                "note": {"en": "Every day", "fr": "Tous les jours"},
            },
            {"name": "Bad Link", "url": "javascript:alert(1)"},
            {"phone": "+66 1"},  # no name
            {"kind": "e-mail ECPAT", "name": "Unknown Kind"},
            {"kind": "police", "name": "Tourist Police", "phone": "1155"},
            {"kind": "online", "name": "Checked Portal", "url": "https://portal.example/th"},
            {"name": "Kept Without Kind", "phone": "+66 2 111 1111"},
        ],
        "ZZ": [{"name": "Nowhere"}],
    }
    path = tmp_path / "contacts.json"
    path.write_text(json.dumps(contacts), encoding="utf-8")
    monkeypatch.setitem(app.config, "CONCERN_CONTACTS_FILE", str(path))
    text = client.get("/countries/TH").get_data(as_text=True)
    assert "Checked Hotline" in text and "Unknown Kind" not in text
    assert '<a href="tel:+6620000000">+66 2 000 0000</a>' in text
    # Police first, then the helpline, then the portal; a contact without a kind comes last.
    order = ["Tourist Police", "Checked Hotline", "Checked Portal", "Other contacts in Thailand"]
    positions = [text.index(name) for name in order]
    assert positions == sorted(positions)
    assert text.index("Kept Without Kind") > positions[-1]
    assert 'href="https://hotline.example/th"' in text and "Every day" in text
    assert "Bad Link" not in text and "javascript:" not in text
    french = client.get("/countries/TH", headers={"Accept-Language": "fr"})
    assert "Tous les jours" in french.get_data(as_text=True)
    assert "Checked Hotline" not in client.get("/countries/FR").get_data(as_text=True)


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"TH": "a hotline"}'])
def test_a_broken_contacts_file_shows_no_contacts_and_breaks_nothing(
    app, client, tmp_path, monkeypatch, content
):
    path = tmp_path / "contacts.json"
    path.write_text(content, encoding="utf-8")
    monkeypatch.setitem(app.config, "CONCERN_CONTACTS_FILE", str(path))
    response = client.get("/countries/TH")
    assert response.status_code == 200
    assert "Other contacts in Thailand" not in response.get_data(as_text=True)
