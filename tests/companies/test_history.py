"""A company's history reads as sentences: titles, statuses and changes in words, newest first."""

from dataclasses import replace

import pytest

from tests.companies.test_services import DETAILS
from tracker import audit
from tracker.audit import AuditAction, AuditEntry
from tracker.companies import services
from tracker.companies.enums import CompanyType
from tracker.companies.history import company_history
from tracker.companies.services import OperationInput
from tracker.extensions import db
from tracker.review.services import return_application


@pytest.fixture()
def lotus(applicant, reviewer):
    """Applied, returned with a comment, changed and resubmitted."""
    company = services.submit_application(applicant, replace(DETAILS, display_name="Lotus Hotel"))
    db.session.commit()
    return_application(company, reviewer, "Name every country.")
    db.session.commit()
    changed = replace(
        DETAILS,
        display_name="Lotus Hotels",
        type=CompanyType.TRAVEL_AGENCY,
        operations=(OperationInput("TH"), OperationInput("VN")),
    )
    services.update_company(company, changed, applicant)
    db.session.commit()
    return company


def test_history_is_newest_first_with_titles_and_status_words(lotus, applicant, reviewer):
    items = company_history(lotus)
    assert [item.title for item in items] == [
        "Application changed and resubmitted",
        "Application returned for changes",
        "Application submitted",
    ]
    resubmitted, returned, submitted = items
    assert (returned.status_before, returned.status_after) == (
        "Application under review",
        "Changes requested",
    )
    assert returned.comment == "Name every country."
    assert (returned.actor, resubmitted.actor) == (reviewer.name, applicant.name)
    assert (submitted.status_before, submitted.status_after) == (None, "Application under review")


def test_changes_read_as_label_before_and_after(lotus):
    [newest, *_] = company_history(lotus)
    changes = {change.label: (change.before, change.after) for change in newest.changes}
    assert changes["Public name"] == ("Lotus Hotel", "Lotus Hotels")
    assert changes["Type"] == ("Tour operator", "Travel agency")
    assert changes["Operations (rows removed → rows added)"] == ("KH", "VN")
    assert set(changes) == {"Public name", "Type", "Operations (rows removed → rows added)"}


def test_the_pages_show_no_raw_keys(client, auth, lotus, applicant):
    auth.login(applicant.email)
    page = client.get("/company/").get_data(as_text=True)
    assert "Public name: Lotus Hotel → Lotus Hotels" in page
    assert "Changes requested → Application under review" in page
    for raw in ("display_name", "returned → submitted", "application.resubmitted", "hotel_chain"):
        assert raw not in page


def test_record_refuses_an_action_that_is_not_in_the_enum():
    with pytest.raises(ValueError, match="is not a valid AuditAction"):
        audit.record("company.teleported")


def test_every_action_has_a_title():
    assert all(action.label and "." not in action.label for action in AuditAction)


def test_an_action_no_longer_known_still_reads(lotus):
    entry = db.session.scalars(audit.company_history(lotus.id)).first()
    entry.action = "company.retired_action"
    db.session.commit()
    assert isinstance(entry, AuditEntry)
    assert company_history(lotus)[0].title == "company.retired_action"
