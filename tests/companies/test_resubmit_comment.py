"""The edit page of a returned application shows the reviewer's latest comment at the top."""

import html
import re

import pytest

from tests.fixtures.applications import resubmit, return_for_changes
from tests.test_html import vnu  # noqa: F401 (the HTML checker fixture)
from tracker.companies.enums import ApplicationStatus
from tracker.extensions import db
from tracker.review import services as review_services

HEADING = "Changes requested by ECPAT"


def comment_region(text: str) -> str | None:
    """The quoted comment of the labelled region, if the page has one."""
    match = re.search(
        r'<section [^>]*aria-labelledby="return-comment-heading">\s*'
        r'<h2 id="return-comment-heading">([^<]*)</h2>\s*<blockquote>(.*?)</blockquote>',
        text,
        re.S,
    )
    if match is None:
        return None
    assert match.group(1) == HEADING
    return html.unescape(match.group(2))


@pytest.fixture()
def as_owner(auth, owner_a):
    auth.login(owner_a.email)
    return owner_a


def test_returned_application_shows_the_comment_above_the_form(client, as_owner, reviewer):
    return_for_changes(as_owner.company, reviewer, "Add your office in Cambodia.")
    text = client.get("/company/edit").get_data(as_text=True)
    assert comment_region(text) == "Add your office in Cambodia."
    # Under the page's heading, before the form's first field.
    region = text.index("return-comment-heading")
    assert text.index("<h1>") < region < text.index('<form method="post" novalidate class="stack">')


def test_only_the_latest_return_is_shown(client, as_owner, reviewer):
    company = as_owner.company
    return_for_changes(company, reviewer, "Add your office in Cambodia.")
    resubmit(company, as_owner)
    return_for_changes(company, reviewer, "Now give the Cambodian office's city.")
    text = client.get("/company/edit").get_data(as_text=True)
    assert comment_region(text) == "Now give the Cambodian office's city."
    assert "Add your office in Cambodia." not in text


def test_comment_is_escaped_and_keeps_its_lines(client, as_owner, reviewer):
    return_for_changes(as_owner.company, reviewer, "Two things:\n<b>1.</b> the city & name")
    text = client.get("/company/edit").get_data(as_text=True)
    assert "<blockquote>Two things:\n&lt;b&gt;1.&lt;/b&gt; the city &amp; name</blockquote>" in text


def test_comment_stays_when_the_form_comes_back_with_errors(client, as_owner, reviewer):
    return_for_changes(as_owner.company, reviewer, "Add your office in Cambodia.")
    response = client.submit("/company/edit", {"save": "1", "legal_name": ""})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Please correct the highlighted fields" in text
    assert comment_region(text) == "Add your office in Cambodia."
    db.session.refresh(as_owner.company)
    assert as_owner.company.status is ApplicationStatus.RETURNED


@pytest.mark.parametrize("after", ["resubmitted", "approved", "never returned"])
def test_no_comment_when_the_application_is_not_returned(client, as_owner, reviewer, after):
    company = as_owner.company
    if after != "never returned":
        return_for_changes(company, reviewer, "Add your office in Cambodia.")
        resubmit(company, as_owner)
    if after == "approved":
        review_services.approve_application(company, reviewer)
        db.session.commit()
    response = client.get("/company/edit")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert comment_region(text) is None
    assert HEADING not in text


def test_edit_page_with_the_comment_is_valid_html(client, as_owner, reviewer, vnu, tmp_path):  # noqa: F811
    return_for_changes(as_owner.company, reviewer, "Add your office\nin Cambodia.")
    pages = {
        "edit_returned": client.get("/company/edit").get_data(as_text=True),
        "edit_returned_errors": client.submit(
            "/company/edit", {"save": "1", "legal_name": ""}
        ).get_data(as_text=True),
    }
    assert HEADING in pages["edit_returned"]
    assert vnu(pages, tmp_path) == []
