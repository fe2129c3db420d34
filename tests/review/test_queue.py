"""The application queue: sorting, resubmissions, countries, days waiting, counts, scoping."""

import html
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pycountry
import pytest
from babel.dates import format_date

from tests.factories import CompanyFactory, owner_of, staff
from tests.fixtures.applications import resubmit, return_for_changes
from tests.fixtures.sql import sql_statements
from tests.test_html import vnu  # noqa: F401 (the HTML checker fixture)
from tracker.auth.models import Role
from tracker.companies.enums import ApplicationStatus, Stage
from tracker.extensions import db
from tracker.review import services as review_services

NOW = datetime.now(UTC)


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def rows(response) -> dict[str, str]:
    """Each table row's text, by company name, in the order shown."""
    page = response.get_data(as_text=True)
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    found = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S) if body else []
    link = re.compile(r'<a href="/review/companies/\d+">([^<]+)</a>')
    named = ((html.unescape(link.search(row).group(1)), row) for row in found)
    return {name: text_of(row) for name, row in named}


def cells(response, name: str) -> list[str]:
    """One row's cells: company, type, headquarters, countries, status, submitted."""
    page = response.get_data(as_text=True)
    row = re.search(rf"<tr>\s*(<td[^>]*><a [^>]*>{re.escape(name)}</a>.*?)</tr>", page, re.S)
    return [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def options(response, field: str) -> list[str]:
    page = response.get_data(as_text=True)
    select = re.search(rf'<select[^>]*id="{field}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option[^>]*value="([^"]*)"', select)


def selected(response, field: str) -> str:
    page = response.get_data(as_text=True)
    select = re.search(rf'<select[^>]*id="{field}"[^>]*>(.*?)</select>', page, re.S).group(1)
    [value] = re.findall(r'<option selected value="([^"]*)"', select)
    return value


def status_counts(response) -> dict[str, int]:
    page = response.get_data(as_text=True)
    items = re.search(r'<ul class="status-counts">(.*?)</ul>', page, re.S).group(1)
    pairs = re.findall(r"<li><a [^>]*>([^<]+)</a>: (\d+)</li>", items)
    return {html.unescape(label): int(count) for label, count in pairs}


def main_text(response) -> str:
    page = response.get_data(as_text=True)
    return text_of(re.search(r"<main[^>]*>(.*?)</main>", page, re.S).group(1))


def next_link(response) -> str:
    match = re.search(r'<a href="([^"]+)" rel="next">', response.get_data(as_text=True))
    return html.unescape(match.group(1))


@pytest.fixture()
def as_reviewer(auth, reviewer):
    auth.login(reviewer.email)
    return reviewer


def shown(moment: datetime) -> str:
    """A date as the English queue writes it (Babel's medium format)."""
    return format_date(moment, "medium", locale="en")


def days_ago(days: int) -> datetime:
    return NOW - timedelta(days=days, hours=2)  # two hours clear of the day's boundary


# sorting


@pytest.fixture()
def three_ages():
    for name, days in (("Middle", 5), ("Oldest", 10), ("Newest", 1)):
        CompanyFactory(display_name=name, submitted_at=days_ago(days))


@pytest.mark.parametrize(
    ("query", "expected", "shown"),
    [
        ("", ["Oldest", "Middle", "Newest"], "oldest"),
        ("?sort=oldest", ["Oldest", "Middle", "Newest"], "oldest"),
        ("?sort=newest", ["Newest", "Middle", "Oldest"], "newest"),
        ("?status=submitted&sort=newest", ["Newest", "Middle", "Oldest"], "newest"),
    ],
)
def test_queue_sorts_by_submission(client, as_reviewer, three_ages, query, expected, shown):
    response = client.get(f"/review/{query}")
    assert list(rows(response)) == expected
    assert selected(response, "sort") == shown
    assert options(response, "sort") == ["oldest", "newest"]


def test_paging_links_keep_the_sort(client, as_reviewer):
    for n in range(30):
        CompanyFactory(display_name=f"Tour {n:02d}", submitted_at=days_ago(40 - n))
    first = client.get("/review/?sort=newest")
    assert list(rows(first)) == [f"Tour {n:02d}" for n in range(29, 4, -1)]
    link = next_link(first)
    assert parse_qs(urlsplit(link).query) == {"sort": ["newest"], "page": ["2"]}
    second = client.get(link)
    assert list(rows(second)) == ["Tour 04", "Tour 03", "Tour 02", "Tour 01", "Tour 00"]
    assert selected(second, "sort") == "newest"


# bad filter values: ignored, with the form's error, never a 500


OLDEST_FIRST = ["Oldest", "Paris", "Middle", "Newest"]


@pytest.mark.parametrize(
    ("user", "query", "expected"),
    [
        ("reviewer", "?sort=sideways", OLDEST_FIRST),
        ("reviewer", "?sort=", OLDEST_FIRST),
        ("reviewer", "?sort=newest&country=ZZ", ["Newest", "Middle", "Paris", "Oldest"]),
        ("reviewer", "?country=fr", OLDEST_FIRST),  # codes are upper case
        ("reviewer", "?country=FR&sort=%00", ["Paris"]),  # the valid filter still applies
        ("rep_th", "?country=FR", ["Oldest", "Middle", "Newest"]),  # outside the rep's countries
        ("rep_th", "?country=FR&sort=newest", ["Newest", "Middle", "Oldest"]),
    ],
)
def test_bad_filter_values_are_ignored_with_an_error(
    client, auth, request, three_ages, user, query, expected
):
    CompanyFactory(display_name="Paris", countries=("FR",), submitted_at=days_ago(7))
    auth.login(request.getfixturevalue(user).email)
    response = client.get(f"/review/{query}")
    assert response.status_code == 200
    assert list(rows(response)) == expected
    assert "Not a valid choice." in response.get_data(as_text=True)


# resubmissions


def test_resubmissions_are_marked(client, as_reviewer):
    owners = {
        name: owner_of(CompanyFactory(display_name=name, submitted_at=days_ago(days)))
        for name, days in (("First Try", 9), ("Second Try", 8), ("Third Try", 7), ("Done", 6))
    }
    for name in ("Second Try", "Third Try", "Done"):
        owner = owners[name]
        return_for_changes(owner.company, as_reviewer, "Add your Cambodian office.")
        resubmit(owner.company, owner)
    # Returned again after resubmitting: the latest decision comes after the resubmission.
    return_for_changes(owners["Third Try"].company, as_reviewer, "Still missing.")
    review_services.approve_application(owners["Done"].company, as_reviewer)
    db.session.commit()

    shown = rows(client.get("/review/?status="))
    assert {name: "Resubmitted" in text for name, text in shown.items()} == {
        "First Try": False,
        "Second Try": True,
        "Third Try": False,
        "Done": False,
    }
    assert cells(client.get("/review/"), "Second Try")[4] == (
        "Application under review Resubmitted"
    )
    page = client.get("/review/").get_data(as_text=True)
    assert page.count('<strong class="badge badge-resubmitted">Resubmitted</strong>') == 1


def test_resubmitted_among_reads_only_the_companies_asked_for(reviewer):
    first = CompanyFactory()
    second = CompanyFactory()
    for company in (first, second):
        owner = owner_of(company)
        return_for_changes(company, reviewer, "Add Laos.")
        resubmit(company, owner)
    assert review_services.resubmitted_among([first.id]) == {first.id}
    assert review_services.resubmitted_among([]) == set()


# countries of operation and days waiting


def test_rows_show_countries_of_operation_and_headquarters(client, as_reviewer):
    CompanyFactory(display_name="Lotus Hotels", hq_country="TH", countries=("TH", "TH", "KH", "FR"))
    CompanyFactory(display_name="Paris Trips", hq_country="FR", countries=("FR",))
    response = client.get("/review/")
    # Company, type, headquarters, countries of operation, status, submitted
    assert cells(response, "Lotus Hotels")[2:4] == ["Thailand", "Cambodia, France, Thailand"]
    assert cells(response, "Paris Trips")[2:4] == ["France", "France"]


def test_rows_show_days_waiting(client, as_reviewer):
    CompanyFactory(display_name="Three Days", submitted_at=days_ago(3))
    CompanyFactory(display_name="One Day", submitted_at=days_ago(1))
    just_now = NOW - timedelta(minutes=5)
    CompanyFactory(display_name="Just Now", submitted_at=just_now)
    CompanyFactory(
        display_name="Approved", submitted_at=days_ago(3), status=ApplicationStatus.APPROVED
    )
    response = client.get("/review/?status=")
    submitted = {name: cells(response, name)[5] for name in rows(response)}
    three = days_ago(3)
    assert submitted == {
        "Three Days": f"{shown(three)} waiting 3 days",
        "One Day": f"{shown(days_ago(1))} waiting 1 day",
        "Just Now": f"{shown(just_now)} waiting less than a day",
        "Approved": shown(three),  # not waiting for review
    }


def test_a_page_of_25_takes_as_many_queries_as_a_page_of_5(client, as_reviewer):
    for n in range(30):
        owner = owner_of(CompanyFactory(display_name=f"Tour {n:02d}", countries=("TH", "KH", "FR")))
        if n % 2:
            return_for_changes(owner.company, as_reviewer, "Add Laos.")
            resubmit(owner.company, owner)
    client.get("/review/?page=3")  # warm up a connection; another URL, so nothing is cached
    with sql_statements() as full:
        page_1 = client.get("/review/")
    with sql_statements() as short:
        page_2 = client.get("/review/?page=2")

    assert (len(rows(page_1)), len(rows(page_2))) == (25, 5)
    for page in (page_1, page_2):
        for text in rows(page).values():
            assert "Cambodia, France, Thailand" in text
    # Odd tours are resubmitted (each before the next tour is made, so the order holds):
    # twelve of tours 0 to 24, three of tours 25 to 29.
    resubmitted = [
        sum("Resubmitted" in text for text in rows(p).values()) for p in (page_1, page_2)
    ]
    assert resubmitted == [12, 3]
    assert len(full) == len(short)
    # The counts per status were kept from the first request: nothing changed since.
    assert not [s for s in full + short if "GROUP BY companies.stage" in s]


# counts per status


@pytest.fixture()
def spread():
    for stage, countries in [
        (Stage.SUBMITTED, ("TH",)),
        (Stage.SUBMITTED, ("TH", "FR")),
        (Stage.RETURNED, ("TH",)),
        (Stage.APPROVED, ("FR",)),
        (Stage.REJECTED, ("FR",)),
        (Stage.REJECTED, ("KH",)),
        (Stage.ACTIVE, ("KH", "TH")),
        (Stage.SUSPENDED, ("KH",)),
        (Stage.EXPELLED, ("TH",)),
    ]:
        CompanyFactory(stage=stage, countries=countries)


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("reviewer", (2, 1, 2, 1, 1, 1, 0, 1)),
        ("admin", (2, 1, 2, 1, 1, 1, 0, 1)),
        ("rep_fr", (1, 0, 1, 1, 0, 0, 0, 0)),
        ("rep_th", (2, 1, 0, 0, 1, 0, 0, 1)),
    ],
)
@pytest.mark.parametrize("query", ["", "?status=approved&country=KH&q=zzz&sort=newest"])
def test_counts_per_status_cover_what_the_user_may_see(
    client, auth, request, spread, user, expected, query
):
    auth.login(request.getfixturevalue(user).email)
    labels = [stage.label for stage in Stage]
    # The counts do not follow the filters: they are the whole of what the user may see.
    counts = status_counts(client.get(f"/review/{query}"))
    assert counts.pop("Change of details awaiting review") == 0
    assert counts == dict(zip(labels, expected, strict=True))


def test_count_links_filter_by_status(client, as_reviewer, spread):
    page = client.get("/review/").get_data(as_text=True)
    assert '<a href="/review/?status=rejected">Application rejected</a>: 2' in page
    assert len(rows(client.get("/review/?status=rejected"))) == 2


# a representative's country filter


def test_representatives_filter_offers_only_their_countries(client, auth, spread):
    rep = staff(Role.REPRESENTATIVE, ("TH", "FR"), email="rep.two@example.com")
    auth.login(rep.email)
    response = client.get("/review/")
    assert options(response, "country") == ["", "FR", "TH"]  # France, Thailand by name
    assert "You see companies operating in France, Thailand." in response.get_data(as_text=True)
    assert len(rows(client.get("/review/?status=&country=FR"))) == 3


@pytest.mark.parametrize("user", ["reviewer", "admin"])
def test_reviewers_filter_offers_every_country(client, auth, request, user):
    auth.login(request.getfixturevalue(user).email)
    offered = options(client.get("/review/"), "country")
    assert offered[0] == ""
    assert sorted(offered[1:]) == sorted(country.alpha_2 for country in pycountry.countries)


# not found, or not in your countries


def test_company_outside_a_reps_countries_is_404_like_a_missing_one(
    client, auth, rep_fr, company_a, company_b
):
    auth.login(rep_fr.email)
    outside = client.get(f"/review/companies/{company_a.id}")
    missing = client.get("/review/companies/999999")
    assert (outside.status_code, missing.status_code) == (404, 404)
    assert main_text(outside) == main_text(missing)  # nothing tells the two apart
    text = main_text(outside)
    assert text.startswith("Not found, or not in your countries")
    assert "a company that does not operate in your countries (France)" in text
    assert company_a.display_name not in outside.get_data(as_text=True)
    assert client.get(f"/review/companies/{company_b.id}").status_code == 200


@pytest.mark.parametrize("user", ["reviewer", "owner_a", None])
def test_others_get_the_plain_404_page(client, auth, request, company_a, user):
    if user:
        auth.login(request.getfixturevalue(user).email)
    response = client.get("/review/companies/999999" if user == "reviewer" else "/no-such-page")
    assert response.status_code == 404
    text = main_text(response)
    assert text.startswith("Page not found")
    assert "countries" not in text


def test_queue_and_404_pages_are_valid_html(client, auth, reviewer, rep_th, vnu, tmp_path):  # noqa: F811
    owner = owner_of(CompanyFactory(display_name="Again Ltd", countries=("TH", "KH")))
    return_for_changes(owner.company, reviewer, "Add Laos.")
    resubmit(owner.company, owner)
    CompanyFactory(display_name="Old Ltd", submitted_at=days_ago(4))
    auth.login(rep_th.email)
    pages = {
        "rep_queue": client.get("/review/?sort=newest").get_data(as_text=True),
        "rep_queue_errors": client.get("/review/?sort=x&country=FR").get_data(as_text=True),
        "rep_404": client.get("/review/companies/999999").get_data(as_text=True),
    }
    assert "Resubmitted" in pages["rep_queue"]
    assert "waiting 4 days" in pages["rep_queue"]
    assert vnu(pages, tmp_path) == []
