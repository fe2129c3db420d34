"""The public directory: search, filters, pages, profiles and their addresses."""

import html
import re
from datetime import UTC, date, datetime

import pytest

from tests.factories import CompanyFactory
from tests.fixtures.rendering import renders
from tests.fixtures.sql import sql_statements
from tests.reports.helpers import member, ready_report, top_member
from tracker import data_versions
from tracker.companies.enums import CompanyType, Stage
from tracker.companies.models import CompanySlug
from tracker.directory.search.listing import Sort
from tracker.extensions import cache, db
from tracker.membership import services as membership_services
from tracker.reports import services

MEMBER_NAME = re.compile(r'class="member-name[^"]*"><a href="/signatories/[^"]+">([^<]+)</a>')


def names_on(page) -> list[str]:
    """The members listed, in order (each name is its profile link)."""
    return MEMBER_NAME.findall(page.get_data(as_text=True))


@pytest.fixture
def members():
    """Three members in good standing (joined this year), an overdue one, and non-members."""
    made = {
        "sao": member(joined=date(2026, 3, 1), display_name="Hotel São Paulo", countries=("BR",)),
        "lotus": member(joined=date(2026, 4, 1), display_name="Lotus Tours", countries=("TH",)),
        "andes": member(
            joined=date(2026, 5, 1),
            display_name="Andes Air",
            type=CompanyType.AIRLINE,
            countries=("PE", "BR"),
        ),
        "late": member(joined=date(2024, 5, 1), display_name="Late Tours", countries=("TH",)),
    }
    CompanyFactory(stage=Stage.SUSPENDED, display_name="Suspended Tours", countries=("TH",))
    CompanyFactory(stage=Stage.SUBMITTED, display_name="Applicant Tours", countries=("TH",))
    return {key: company for key, (company, _owner) in made.items()}


def test_the_directory_lists_members_only_in_name_order(client, members):
    page = client.get("/signatories")
    assert page.status_code == 200
    assert names_on(page) == ["Andes Air", "Hotel São Paulo", "Late Tours", "Lotus Tours"]
    assert "4 members match." in page.get_data(as_text=True)


@pytest.mark.parametrize("query", ["Sao Paulo", "são paulo", "SAO", "paulo hotel", "são-paulo"])
def test_name_search_ignores_case_accents_and_word_order(client, members, query):
    assert names_on(client.get("/signatories", query_string={"q": query})) == ["Hotel São Paulo"]


@pytest.mark.parametrize("name", ["O\u2019Neill Tours", "O'Neill Tours", "O\u00b4Neill Tours"])
@pytest.mark.parametrize("query", ["O'Neill", "O\u2019Neill", "o neill", "O`Neill tours"])
def test_a_name_is_found_whichever_apostrophe_either_side_typed(client, name, query):
    member(display_name=name, countries=("IE",))
    found = names_on(client.get("/signatories", query_string={"q": query}))
    assert [html.unescape(listed) for listed in found] == [name]


def test_search_finds_the_legal_name_too(client, members):
    legal = members["lotus"].legal_name
    assert names_on(client.get("/signatories", query_string={"q": legal})) == ["Lotus Tours"]


def test_filters_by_country_of_operation_type_and_standing(client, members):
    by_country = client.get("/signatories?country=BR")
    assert names_on(by_country) == ["Andes Air", "Hotel São Paulo"]  # Andes is headquartered in TH
    assert names_on(client.get("/signatories?type=airline")) == ["Andes Air"]
    assert names_on(client.get("/signatories?standing=report_overdue")) == ["Late Tours"]
    good = names_on(client.get("/signatories?standing=good_standing"))
    assert good == ["Andes Air", "Hotel São Paulo", "Lotus Tours"]


def test_top_members_are_those_of_the_latest_named_year(client, members, reviewer):
    """The public sees one rule (recognition.latest_title): named for the latest named year,
    and a member in good standing."""
    star, owner = member(joined=date(2024, 5, 1), display_name="Star Tours", countries=("TH",))
    top_member(star, owner, reviewer)
    earlier, owner = member(
        joined=date(2023, 5, 1), display_name="Earlier Tours", countries=("TH",)
    )
    top_member(earlier, owner, reviewer, 2024)  # an older list: not shown now
    db.session.commit()
    assert names_on(client.get("/signatories?standing=top_member")) == ["Star Tours"]
    page = client.get("/signatories?country=TH").get_data(as_text=True)
    assert page.count('<span class="badge badge-success">Top Member 2025</span>') == 1
    assert "Top Member 2024" not in page
    profile = client.get(f"/signatories/{members['lotus'].slug}").get_data(as_text=True)
    assert "Top Member" not in profile


def test_sorting_by_joining_date(client, members):
    newest = names_on(client.get("/signatories?sort=newest"))
    assert newest == ["Andes Air", "Lotus Tours", "Hotel São Paulo", "Late Tours"]
    assert names_on(client.get("/signatories?sort=oldest")) == list(reversed(newest))
    # Narrowed, the order is the same (another query: the companies are filtered first).
    assert names_on(client.get("/signatories?country=TH&sort=newest")) == [
        "Lotus Tours",
        "Late Tours",
    ]


def test_pages_keep_the_filters(client):
    for n in range(45):
        CompanyFactory(stage=Stage.ACTIVE, display_name=f"Beach Hotel {n:02d}", countries=("TH",))
    first = client.get("/signatories?q=beach&country=TH")
    text = first.get_data(as_text=True)
    assert len(names_on(first)) == 20
    assert "Page 1 of 3" in text
    assert 'href="/signatories?q=beach&amp;country=TH&amp;page=2" rel="next"' in text
    last = client.get("/signatories?q=beach&country=TH&page=3")
    assert names_on(last) == [f"Beach Hotel {n}" for n in range(40, 45)]
    assert 'rel="next"' not in last.get_data(as_text=True)
    assert len(names_on(client.get("/signatories?q=beach&per_page=50"))) == 45


def test_a_page_past_the_end_is_404_with_a_way_to_the_last(client):
    for n in range(45):
        CompanyFactory(stage=Stage.ACTIVE, display_name=f"Beach Hotel {n:02d}", countries=("TH",))
    page = client.get("/signatories?q=beach&page=9")
    text = page.get_data(as_text=True)
    assert page.status_code == 404
    assert names_on(page) == []
    assert "There is no page 9: the list has only 3 pages." in text
    assert 'class="pager"' not in text  # no "Page 9 of 3" with a link to page 8
    assert '<a href="/signatories?page=3&amp;q=beach">Go to the last page</a>' in text
    assert client.get("/signatories?page=3&q=beach").status_code == 200
    nothing = client.get("/signatories?q=nowhere&page=2")
    assert nothing.status_code == 404
    assert '<a href="/signatories?q=nowhere">Go to the last page</a>' in nothing.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        "page=99999999999999999999999",
        "per_page=1000",
        "country=XX",
        "country=th",
        "type=spaceship",
        "standing=saint",
        "sort=price",
        "q=" + "a" * 101,
        "q=%00",
        "q=tours%0Dnow",
        "country=%3Cscript%3E",
    ],
)
def test_bad_filter_values_are_refused_with_a_message(client, members, query):
    page = client.get("/signatories?" + query)
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert 'class="error"' in text
    if not query.startswith("page="):  # the page number is in the links, not a field
        assert 'aria-invalid="true"' in text
    assert "<script>" not in text


def test_hostile_search_text_is_only_text(client, members):
    # "%25%25" folds to the words "25 25": no legal name may hold them by the factory's count.
    for company in members.values():
        company.legal_name = f"{company.display_name} Ltd"
    db.session.commit()
    for query in ["%", "_", "' OR 1=1 --", "<b>x</b>", "\\", "%25%25"]:
        page = client.get("/signatories", query_string={"q": query})
        assert page.status_code == 200
        assert names_on(page) == []


def test_the_profile_shows_the_member(client, members, reviewer):
    company = members["late"]
    page = client.get(f"/signatories/{company.slug}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert company.slug == "late-tours"
    assert "Late Tours" in text and company.legal_name in text
    assert company.membership_number in text and "May 1, 2024" in text
    assert "Report overdue" in text
    assert "Not reported yet" in text and "No annual report has been submitted yet." in text


def test_the_profile_shows_accepted_reports_and_criteria_years(client, members, reviewer):
    company = members["late"]
    owner = company.users[0]
    report = ready_report(company, owner, year=2025)
    services.submit_report(report, owner, report.version, date(2026, 2, 1))
    services.accept_report(report, reviewer, "", report.version)
    db.session.commit()
    text = client.get(f"/signatories/{company.slug}").get_data(as_text=True)
    assert "1. Policy and procedures<span" in text
    assert text.count("</th><td>2025</td>") == 6  # the sample report shows all six
    assert '<th scope="row">2025</th>' in text
    assert "Not yet" not in text


def test_a_renamed_member_keeps_its_old_address(client, members):
    company = members["lotus"]
    company.display_name = "Lotus Journeys"
    db.session.commit()
    assert company.slug == "lotus-journeys"
    moved = client.get("/signatories/lotus-tours")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/signatories/lotus-journeys")
    assert client.get("/signatories/lotus-journeys").status_code == 200


@pytest.mark.parametrize("stage", [Stage.SUBMITTED, Stage.APPROVED, Stage.SUSPENDED])
def test_a_company_not_listed_leaks_no_new_name_through_its_old_address(client, stage):
    """Only listed names are ever public: no redirect tells an old address's new name."""
    company = CompanyFactory(stage=stage, display_name="Old Name Tours")
    company.display_name = "Secret New Name"
    db.session.commit()
    assert company.slug == "secret-new-name"
    assert db.session.get(CompanySlug, "old-name-tours") is None
    old = client.get("/signatories/old-name-tours")
    assert old.status_code == 404 and "Location" not in old.headers
    assert "secret" not in old.get_data(as_text=True).lower()


def test_an_old_address_of_a_member_since_suspended_does_not_redirect(client, members, reviewer):
    company = members["lotus"]
    company.display_name = "Lotus Journeys"
    db.session.commit()
    membership_services.suspend_membership(company, reviewer, "Complaint")
    db.session.commit()
    old = client.get("/signatories/lotus-tours")
    assert old.status_code == 404 and "Location" not in old.headers
    assert "Lotus Journeys" not in old.get_data(as_text=True)


def test_renamed_back_it_takes_its_old_address_again(members):
    company = members["lotus"]
    company.display_name = "Lotus Journeys"
    db.session.commit()
    company.display_name = "Lotus Tours"
    db.session.commit()
    assert company.slug == "lotus-tours"
    assert db.session.get(CompanySlug, "lotus-journeys").company_id == company.id
    assert db.session.get(CompanySlug, "lotus-tours") is None


def test_companies_with_the_same_name_get_numbered_addresses(members):
    twins = [CompanyFactory(stage=Stage.ACTIVE, display_name="Lotus Tours") for _ in range(2)]
    assert [twin.slug for twin in twins] == ["lotus-tours-2", "lotus-tours-3"]


@pytest.mark.parametrize("name", ["Lotus Tours", "Hotel 2"])
def test_a_change_that_keeps_the_name_looks_for_no_new_address(members, name):
    # "Hotel 2" is its own base, not "hotel" numbered: it was given its address again (two
    # queries and a pass over the flush) at every change of the company.
    pair = [CompanyFactory(stage=Stage.ACTIVE, display_name=name) for _ in range(2)]
    slugs = [company.slug for company in pair]
    with sql_statements() as sent:
        for number, company in enumerate(pair):
            company.contact_phone = f"+66 2 000 000{number}"
        db.session.commit()
    assert [company.slug for company in pair] == slugs
    assert not [sql for sql in sent if "slug IN" in sql]


def test_a_former_member_is_not_listed_and_its_page_says_so(client, members):
    gone = CompanyFactory(stage=Stage.SUSPENDED, display_name="Gone Tours")
    page = client.get(f"/signatories/{gone.slug}")
    assert page.status_code == 404
    text = page.get_data(as_text=True)
    assert "This company is not a member of The Code" in text
    assert "Gone Tours" not in text  # never listed under this name, perhaps: not said
    assert f"/verify/{gone.membership_number}" in text


def test_an_application_has_no_public_page(client, members):
    applicant = CompanyFactory(stage=Stage.SUBMITTED, display_name="Secret Tours")
    page = client.get(f"/signatories/{applicant.slug}")
    assert page.status_code == 404
    assert "Secret Tours" not in page.get_data(as_text=True)


def test_unknown_addresses_are_404(client, members):
    assert client.get("/signatories/nobody").status_code == 404
    assert client.get("/signatories/" + "x" * 5000).status_code == 404


def test_a_conditional_request_gets_304_until_the_data_changes(client, members):
    first = client.get("/signatories?country=TH")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"].startswith("public")
    again = client.get("/signatories?country=TH", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    members["lotus"].display_name = "Lotus Journeys"
    db.session.commit()
    changed = client.get("/signatories?country=TH", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Lotus Journeys" in changed.get_data(as_text=True)


def test_renders_are_limited_per_visitor_but_kept_pages_are_free(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_RENDER_RATE_LIMIT", "3 per minute")
    here = {"REMOTE_ADDR": "203.0.113.30"}
    kept = [client.get("/signatories", environ_base=here).status_code for _ in range(6)]
    assert kept == [200] * 6  # one render, then the kept page
    varied = [
        client.get(f"/signatories?q={word}", environ_base=here).status_code
        for word in ("a", "b", "c")
    ]
    assert varied == [200, 200, 429]
    refused = client.get("/signatories?q=d", environ_base=here)
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 60
    assert client.get("/signatories?q=a", environ_base=here).status_code == 200  # kept: free
    elsewhere = client.get("/signatories?q=d", environ_base={"REMOTE_ADDR": "203.0.113.31"})
    assert elsewhere.status_code == 200
    api = client.get("/api/v1/signatories?q=e", environ_base=here)
    assert api.status_code == 200  # the API counts against API_RATE_LIMIT alone


def test_a_signed_in_person_gets_a_private_page(client, auth, members):
    company = members["lotus"]
    auth.login(company.users[0].email)
    page = client.get("/signatories")
    assert page.headers["Cache-Control"] == "private, no-cache"
    assert "ETag" not in page.headers


def count_queries(client, url: str) -> int:
    with sql_statements() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("url", ["/signatories?per_page=100", "/signatories/{slug}"])
def test_queries_do_not_grow_with_the_members_shown(client, url):
    def add(n: int):
        for i in range(n):
            company = CompanyFactory(
                stage=Stage.ACTIVE, display_name=f"Tours {i}", countries=("TH", "KH", "LA")
            )
            company.membership.joined_at = datetime(2025, 1, 1, tzinfo=UTC)
        db.session.commit()
        return company

    company = add(3)
    few = count_queries(client, url.format(slug=company.slug))
    add(30)  # the data version moves: the page is rendered again
    many = count_queries(client, url.format(slug=company.slug))
    assert many == few


def test_public_pages_learn_of_a_change_within_the_version_ttl(app, client, members, monkeypatch):
    """Served, each worker reads the data version at most once a second for public pages."""
    clock = [1000.0]
    monkeypatch.setattr(data_versions.time, "monotonic", lambda: clock[0])
    monkeypatch.setitem(app.config, "PUBLIC_VERSION_TTL", 60)
    monkeypatch.setitem(app.extensions, "public_data_version", {"value": None, "at": 0.0})
    assert "Lotus Tours" in client.get("/signatories?country=TH").get_data(as_text=True)
    members["lotus"].display_name = "Lotus Journeys"
    db.session.commit()
    assert "Lotus Tours" in client.get("/signatories?country=TH").get_data(as_text=True)
    clock[0] += 60
    assert "Lotus Journeys" in client.get("/signatories?country=TH").get_data(as_text=True)


# What one client can do to the kept pages -----------------------------------------------------

KEPT = ["/", "/signatories", "/signatories?country=TH", "/countries/TH"]


@pytest.fixture
def small_cache(app, monkeypatch):
    """The shared cache holds 20 entries: a flood of 60 pages would fill it three times over."""
    monkeypatch.setitem(app.config, "PUBLIC_RENDER_RATE_LIMIT", "10000 per minute")
    monkeypatch.setattr(cache.cache, "_threshold", 20)
    visitor = app.test_client()
    for url in KEPT:
        assert visitor.get(url, environ_base={"REMOTE_ADDR": "198.51.100.1"}).status_code == 200
    return visitor


def assert_still_kept(app, visitor):
    with renders(app) as rendered:
        for url in KEPT:
            assert visitor.get(url, environ_base={"REMOTE_ADDR": "198.51.100.1"}).status_code == 200
    assert rendered == []


def test_a_flood_of_made_up_query_strings_evicts_no_kept_page(app, members, small_cache):
    attacker = {"REMOTE_ADDR": "203.0.113.66"}
    for i in range(30):
        assert small_cache.get(f"/signatories?q=x{i}", environ_base=attacker).status_code == 200
        assert small_cache.get(f"/?utm_source=x{i}", environ_base=attacker).status_code == 200
    assert_still_kept(app, small_cache)


def test_one_client_adds_only_its_allowance_of_pages_to_the_shared_cache(
    app, members, small_cache, monkeypatch
):
    monkeypatch.setitem(app.config, "PUBLIC_CACHE_INSERT_LIMIT", "5 per minute")
    crawler = {"REMOTE_ADDR": "203.0.113.67"}
    urls = [
        f"/signatories?type={kind.value}&sort={order.value}"
        for kind in CompanyType
        for order in Sort
    ]
    assert len(urls) > 20
    for url in urls:
        assert small_cache.get(url, environ_base=crawler).status_code == 200
    assert_still_kept(app, small_cache)
    with renders(app) as rendered:  # the crawler's own pages are kept too, in their region
        small_cache.get(urls[-1], environ_base=crawler)
    assert rendered == []
