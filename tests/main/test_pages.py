"""About, Privacy and Contact, the footer that links them, the logo and the step indicator."""

import pytest

from tests.factories import CompanyFactory, UserFactory, owner_of
from tracker.companies.criteria import criteria
from tracker.companies.enums import Stage
from tracker.companies.journey import steps_for
from tracker.extensions import db
from tracker.plans.models import Plan, PlanState


def text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_about_lists_the_six_criteria(client):
    html = text(client, "/about")
    for criterion in criteria():
        assert str(criterion.title) in html and str(criterion.text) in html


def test_contact_and_privacy_give_the_configured_address(app, client):
    address = app.config["CONTACT_EMAIL"]
    assert f'href="mailto:{address}"' in text(client, "/contact")
    assert address in text(client, "/privacy")


@pytest.mark.parametrize("path", ["/", "/account/login", "/about", "/no-such-page"])
def test_every_page_has_the_footer_links_and_the_logo(client, path):
    html = client.get(path).get_data(as_text=True)
    for target in ("/about", "/privacy", "/contact"):
        assert f'href="{target}"' in html
    assert "/static/img/logo.svg" in html and "/static/img/favicon.svg" in html


def test_registration_links_to_privacy(client):
    assert 'href="/privacy">How we use your details</a>' in text(client, "/account/register")


@pytest.mark.parametrize("name", ["logo.svg", "favicon.svg"])
def test_the_images_are_served_as_svg(client, name):
    response = client.get(f"/static/img/{name}")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data and b"<script" not in response.data


def states(steps) -> dict[str, str]:
    return {step.key: step.state for step in steps}


@pytest.mark.parametrize(
    ("stage", "current"),
    [
        (Stage.SUBMITTED, "review"),
        (Stage.RETURNED, "review"),
        (Stage.REJECTED, "apply"),
        (Stage.APPROVED, "plan"),  # no approved implementation plan yet
    ],
)
def test_steps_follow_the_application(stage, current):
    user = owner_of(CompanyFactory(stage=stage))
    found = states(steps_for(user))
    assert found[current] == "current"
    keys = list(found)
    assert all(found[key] == "done" for key in keys[: keys.index(current)])
    assert all(found[key] == "todo" for key in keys[keys.index(current) + 1 :])


def test_an_approved_plan_moves_the_steps_on_to_signing():
    company = CompanyFactory(stage=Stage.APPROVED)
    db.session.add(Plan(company=company, year=2026, state=PlanState.APPROVED))
    found = states(steps_for(owner_of(company)))
    assert (found["plan"], found["sign"]) == ("done", "current")


def test_steps_before_a_company_and_after_membership():
    unconfirmed = UserFactory(email_confirmed_at=None)
    assert states(steps_for(unconfirmed))["confirm"] == "current"
    assert states(steps_for(UserFactory()))["apply"] == "current"
    member = owner_of(CompanyFactory(stage=Stage.ACTIVE))
    assert set(states(steps_for(member)).values()) == {"done"}


@pytest.mark.parametrize("stage", [Stage.SUSPENDED, Stage.WITHDRAWN, Stage.EXPELLED])
def test_no_steps_once_a_member_has_left_good_standing(stage):
    assert steps_for(owner_of(CompanyFactory(stage=stage))) == []


def test_registration_page_shows_the_first_step_as_current(client):
    html = text(client, "/account/register")
    assert 'class="step step-current" aria-current="step"' in html
    assert html.index('aria-current="step"') < html.index("Confirm e-mail")
