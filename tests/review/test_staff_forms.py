"""Staff forms fail loudly: a refused POST shows its summary at the form that failed, the
message beside the field and what was typed; dangerous actions come after the routine ones."""

import pytest

from tests.factories import CompanyFactory, owner_of
from tests.fixtures.staff_forms import block, only_summary, position, textarea
from tests.plans.helpers import submitted_plan
from tests.reports.helpers import member
from tracker.companies.enums import Stage
from tracker.extensions import db
from tracker.membership import services as membership

# the extension form, far down the company's page


def test_extension_with_a_past_date_shows_its_error_at_the_form(client, auth, reviewer):
    company, _owner = member(countries=("TH",))
    auth.login(reviewer.email)
    response = client.submit(
        f"/review/reports/companies/{company.id}/extension",
        {"year": "2025", "due_on": "2020-01-01", "reason": "Hurricane season"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = only_summary(page)
    message = "Choose a date after the normal due date and not in the past."
    assert f'<a href="#due_on">New due date: {message}</a>' in summary
    at_form = block(page, "extension")
    assert summary in at_form  # beside the form, not at the top of the page
    assert f'<p class="error" id="due_on-error">{message}</p>' in at_form
    assert 'value="2020-01-01"' in at_form and 'value="2025"' in at_form
    assert textarea(page, "extension-reason") == "Hurricane season"
    assert page.index("<title>Error:") < page.index("<h1>")


def test_extension_without_a_reason_names_the_field(client, auth, reviewer):
    company, _owner = member(countries=("TH",))
    auth.login(reviewer.email)
    response = client.submit(
        f"/review/reports/companies/{company.id}/extension",
        {"year": "2025", "due_on": "2027-01-31", "reason": ""},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = only_summary(page)
    assert '<a href="#extension-reason">Reason: This field is required.</a>' in summary
    assert 'id="extension-reason-error"' in block(page, "extension")
    assert 'value="2027-01-31"' in block(page, "extension")


# decisions on the company's page


@pytest.fixture()
def submitted():
    company = CompanyFactory(display_name="Waiting Ltd")
    owner_of(company)
    db.session.commit()
    return company


@pytest.mark.parametrize(
    ("segment", "field", "label"),
    [
        ("return", "comment", "What should the company change? "),
        ("reject", "reason", "Reason for rejecting: "),
    ],
)
def test_an_empty_application_decision_shows_its_summary_at_it(
    client, auth, reviewer, submitted, segment, field, label
):
    auth.login(reviewer.email)
    url = f"/review/companies/{submitted.id}/{segment}"
    response = client.submit(url, {field: "", "version": str(submitted.version)})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    summary = only_summary(page)
    assert f'<a href="#{field}">{label}This field is required.</a>' in summary
    assert summary in block(page, f"decision-{segment}")
    assert f'id="{field}-error"' in block(page, f"decision-{segment}")


def test_expel_without_the_tick_keeps_the_reason_typed(client, auth, admin):
    company, _owner = member(countries=("TH",))
    auth.login(admin.email)
    response = client.submit(
        f"/review/companies/{company.id}/expel",
        {"expel_reason": "Proven complaint", "version": str(company.version)},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    summary = only_summary(page)
    tick = "Tick the box to confirm that you mean to expel the company."
    assert f'<a href="#expel_confirm">{tick}</a>' in summary
    at_form = block(page, "decision-expel")
    assert summary in at_form and 'id="expel_confirm-error"' in at_form
    assert textarea(page, "expel_reason") == "Proven complaint"
    # The other forms of the page stay as they were: nothing typed there, no error.
    assert textarea(page, "suspend_reason") == ""


def test_suspend_without_a_reason_is_refused_at_its_form(client, auth, reviewer):
    company, _owner = member(countries=("TH",))
    auth.login(reviewer.email)
    response = client.submit(
        f"/review/companies/{company.id}/suspend",
        {"suspend_reason": "", "version": str(company.version)},
    )
    page = response.get_data(as_text=True)
    summary = only_summary(page)
    assert "Reason for suspending (the company reads it): This field is required." in summary
    assert summary in block(page, "decision-suspend")
    db.session.refresh(company)
    assert company.stage is Stage.ACTIVE


def test_reinstate_with_a_too_long_note_keeps_it(client, auth, reviewer):
    company, _owner = member(countries=("TH",))
    membership.suspend_membership(company, reviewer, "Complaint")
    db.session.commit()
    auth.login(reviewer.email)
    note = "x" * 4001
    response = client.submit(
        f"/review/companies/{company.id}/reinstate",
        {"reinstate_note": note, "version": str(company.version)},
    )
    page = response.get_data(as_text=True)
    assert "Field cannot be longer than 4000 characters." in only_summary(page)
    assert 'id="reinstate_note-error"' in block(page, "decision-reinstate")
    assert textarea(page, "reinstate_note") == note


# dangerous actions last


def test_reject_comes_after_approve_and_return_in_a_danger_zone(client, auth, reviewer, submitted):
    auth.login(reviewer.email)
    page = client.get(f"/review/companies/{submitted.id}").get_data(as_text=True)
    base = f"/review/companies/{submitted.id}"
    approve, back, reject = (position(page, f"{base}/{s}") for s in ("approve", "return", "reject"))
    assert approve < back < reject
    zone = page.index('<div class="danger-zone">')
    assert back < zone < reject
    assert '<button type="submit" class="button danger-outline">Reject</button>' in page


def test_suspend_and_expel_come_after_every_routine_form(client, auth, admin):
    company, _owner = member(countries=("TH",))
    auth.login(admin.email)
    page = client.get(f"/review/companies/{company.id}").get_data(as_text=True)
    extension = position(page, f"/review/reports/companies/{company.id}/extension")
    assign = position(page, f"/review/companies/{company.id}/representative")
    suspend = position(page, f"/review/companies/{company.id}/suspend")
    expel = position(page, f"/review/companies/{company.id}/expel")
    zone = page.index('class="panel decisions danger-zone"')
    assert max(extension, assign) < zone < suspend < expel
    assert 'class="button danger-outline">Suspend membership</button>' in page
    assert 'class="button danger-outline">Expel from The Code</button>' in page
    assert 'class="button danger"' not in page  # no solid red block any more


# the implementation plan


def test_a_plan_returned_without_comment_shows_the_summary_at_its_form(client, auth, reviewer):
    company = CompanyFactory(countries=("FR",), stage=Stage.APPROVED)
    plan = submitted_plan(company, owner_of(company))
    db.session.commit()
    auth.login(reviewer.email)
    response = client.submit(
        f"/review/plans/{plan.id}/return",
        {"return_comment": "", "version": str(plan.version)},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = only_summary(page)
    assert "<li>Say what needs changing, on a part of the plan or overall.</li>" in summary
    assert summary in block(page, "decision-return")


def test_a_plan_approval_with_a_too_long_comment_keeps_it(client, auth, admin):
    company = CompanyFactory(countries=("FR",), stage=Stage.APPROVED)
    plan = submitted_plan(company, owner_of(company))
    db.session.commit()
    auth.login(admin.email)
    comment = "y" * 4001
    response = client.submit(
        f"/review/plans/{plan.id}/approve",
        {"approve_comment": comment, "version": str(plan.version)},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "approve_comment" in only_summary(page)
    assert only_summary(page) in block(page, "decision-approve")
    assert textarea(page, "approve_comment") == comment
