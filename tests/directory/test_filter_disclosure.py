"""The directory's and a country's filters fold away once a search has results (phones show the
results first; app.css and app.js unfold them on wide screens)."""

import re

import pytest

DISCLOSURE = re.compile(
    r'<details class="filter-disclosure"( open)?>\s*<summary>(.*?)</summary>', re.S
)


def disclosure(client, url: str) -> tuple[bool, str]:
    """Whether the filters are open, and their summary's text without tags."""
    found = DISCLOSURE.search(client.get(url).get_data(as_text=True))
    assert found, url
    return bool(found.group(1)), " ".join(re.sub(r"<[^>]+>", "", found.group(2)).split())


@pytest.mark.parametrize("url", ["/signatories", "/countries/TH"])
def test_the_filters_are_open_before_any_search(client, url):
    assert disclosure(client, url) == (True, "Filters")


@pytest.mark.parametrize(
    ("url", "summary"),
    [
        ("/signatories?q=lotus", "Filters (1 active)"),
        ("/signatories?q=lotus&country=TH&sort=newest", "Filters (3 active)"),
        ("/countries/TH?type=hotel", "Filters (1 active)"),
        ("/countries/TH?type=hotel&per_page=50", "Filters (2 active)"),
    ],
)
def test_after_a_search_the_filters_are_folded_and_count_what_is_set(client, url, summary):
    assert disclosure(client, url) == (False, summary)


@pytest.mark.parametrize("url", ["/signatories?country=ZZ", "/countries/TH?type=x"])
def test_a_refused_filter_keeps_them_open_beside_its_message(client, url):
    assert disclosure(client, url) == (True, "Filters")


def test_the_summary_is_translated(client):
    page = client.get("/signatories?q=lotus", headers={"Accept-Language": "fr"})
    assert "Filtres" in page.get_data(as_text=True)
