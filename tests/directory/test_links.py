"""Public pages build their links from known filters only, never from the query as sent."""

import html
import re
from datetime import date

import pytest

from tests.reports.helpers import member
from tracker.directory.countries.concern_contacts import (
    HELPLINE_DIRECTORY,
    ONLINE_REPORTING_DIRECTORY,
)

HOSTILE = {
    "_external": "1",
    "_scheme": "javascript",
    "_anchor": "x",
    "_method": "POST",
    "_host": "evil.example:8443",
    "page.x": "1",
    "utm_source": '"><script>',
}
LINK = re.compile(r'href="([^"]*)"')
# Fixed addresses a page gives on purpose (where to report a concern): no filter builds them.
FIXED_ELSEWHERE = {HELPLINE_DIRECTORY, ONLINE_REPORTING_DIRECTORY}


@pytest.fixture()
def many_members():
    for n in range(25):
        member(joined=date(2026, 3, 1), display_name=f"Member {n:02d}", countries=("TH",))


def links_on(response) -> list[str]:
    return [html.unescape(link) for link in LINK.findall(response.get_data(as_text=True))]


@pytest.mark.parametrize(
    "url", ["/signatories?country=TH&page=2", "/signatories?q=member", "/countries/TH?page=2"]
)
def test_unknown_query_names_never_reach_a_link(client, many_members, url):
    path, _, query = url.partition("?")
    given = dict(pair.split("=") for pair in query.split("&"))
    response = client.get(path, query_string=given | HOSTILE)
    assert response.status_code in (200, 404)
    for link in set(links_on(response)) - FIXED_ELSEWHERE:
        assert not link.startswith(("http", "javascript", "//")) or "tracker.test" in link, link
        for name in HOSTILE:
            assert name not in link, link
        assert "evil.example" not in link and "script" not in link


def test_pages_keep_the_known_filters(client, many_members):
    response = client.get("/signatories?country=TH&per_page=20&sort=newest&utm_source=x")
    links = links_on(response)
    # 20 a page is the default: the links leave it out, as they leave out the stranger.
    assert "/signatories?country=TH&sort=newest&page=2" in links
    assert "/signatories.csv?country=TH&sort=newest" in links
    assert "/api/v1/signatories?country=TH&sort=newest" in links


def test_a_lower_case_country_keeps_only_its_filters(client, many_members):
    response = client.get("/countries/th?page=2&_external=1&_scheme=ftp&type=hotel")
    assert response.status_code == 301
    assert response.headers["Location"] == "/countries/TH?type=hotel&page=2"
