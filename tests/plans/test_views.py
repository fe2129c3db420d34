"""The company's plan page and the staff plan pages, through the client, with their e-mail."""

from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

from tests.factories import CompanyFactory, UserFactory, owner_of
from tests.plans.helpers import complete_input, form_fields, submitted_plan
from tracker.companies.enums import Stage
from tracker.extensions import db
from tracker.plans import services
from tracker.plans.models import Plan, PlanState


@pytest.fixture()
def approved():
    company = CompanyFactory(display_name="Gamma Travel", countries=("FR",), stage=Stage.APPROVED)
    owner = owner_of(company, email="owner.gamma@example.com", locale="fr")
    db.session.commit()
    return company, owner


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def plan_of(company) -> Plan | None:
    db.session.expire_all()
    return db.session.scalar(select(Plan).where(Plan.company_id == company.id))


def test_dashboard_and_steps_point_to_the_plan(client, auth, approved):
    company, owner = approved
    auth.login(owner.email)
    page = client.get("/company/").get_data(as_text=True)
    assert (
        "Préparer votre plan de mise en œuvre" in page or "Prepare your implementation plan" in page
    )
    assert 'href="/company/plan"' in page
    assert "/company/sign" not in page
    assert 'aria-current="step"' in page


def test_get_shows_an_empty_form_without_writing(client, auth, approved):
    company, owner = approved
    auth.login(owner.email)
    response = client.get("/company/plan", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert 'name="policy_action"' in response.get_data(as_text=True)
    assert plan_of(company) is None


def test_save_draft_starts_the_plan(client, auth, approved):
    company, owner = approved
    auth.login(owner.email)
    response = client.submit("/company/plan", form_fields(0, staff_to_train="7", save="1"))
    assert response.status_code == 302 and response.location == "/company/plan"
    plan = plan_of(company)
    assert plan.state is PlanState.DRAFT and plan.staff_to_train == 7


@pytest.mark.parametrize(
    ("language", "typed", "shown"), [("fr", "1 240", "1\u202f240"), ("es", "1.240", "1.240")]
)
def test_staff_to_train_is_typed_and_shown_the_readers_way(
    client, auth, approved, language, typed, shown
):
    company, owner = approved
    auth.login(owner.email)
    client.set_cookie("language", language)
    client.submit("/company/plan", form_fields(0, staff_to_train=typed, save="1"))
    assert plan_of(company).staff_to_train == 1240
    page = client.get("/company/plan").get_data(as_text=True)
    assert f'name="staff_to_train" type="text" value="{shown}"' in page


def test_a_mistyped_staff_to_train_gets_one_message(client, auth, approved):
    company, owner = approved
    auth.login(owner.email)
    client.set_cookie("language", "fr")
    data = form_fields(0, staff_to_train="40 personnes", save="1")
    page = client.submit("/company/plan", data).get_data(as_text=True)
    assert page.count("Saisissez un nombre entier, par exemple 1\u202f240.") == 2  # and summary
    assert "Not a valid" not in page and "Indiquez un nombre entier" not in page
    assert plan_of(company) is None


def test_submit_with_missing_answers_saves_the_draft_and_shows_errors(client, auth, approved):
    company, owner = approved
    auth.login(owner.email)
    data = form_fields(0, policy_action="", staff_to_train="", submit="1")
    response = client.submit("/company/plan", data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="policy_action-error"' in page and 'id="staff_to_train-error"' in page
    assert "Do training" in page  # nothing typed is lost
    plan = plan_of(company)
    assert plan.state is PlanState.DRAFT and plan.training_action == "Do training"


def test_submit_emails_the_company_and_its_reviewers(
    client, auth, approved, smtp, reviewer, admin, rep_fr, rep_th
):
    company, owner = approved
    colleague = UserFactory(company=company, email="colleague.gamma@example.com")
    db.session.commit()
    auth.login(colleague.email)
    response = client.submit("/company/plan", form_fields(0, submit="1"))
    assert response.status_code == 302
    assert plan_of(company).state is PlanState.SUBMITTED
    # The owner reads French: the receipt is written in it.
    [receipt] = smtp.to(owner.email)
    assert subject(receipt) == "[The Code] Nous avons reçu votre plan de mise en œuvre"
    assert len(smtp.to(colleague.email)) == 1
    for staff in (reviewer, admin, rep_fr):
        [note] = smtp.to(staff.email)
        assert subject(note) == "[The Code] Implementation plan to review: Gamma Travel"
    assert smtp.to(rep_th.email) == []


def test_a_stale_save_is_a_conflict_and_keeps_what_was_typed(client, auth, approved):
    company, owner = approved
    plan = services.start_plan(company, owner)
    db.session.commit()
    auth.login(owner.email)
    data = form_fields(plan.version + 5, policy_action="Mine", save="1")
    response = client.submit("/company/plan", data)
    assert response.status_code == 409
    assert "Mine" in response.get_data(as_text=True)
    assert plan_of(company).policy_action is None


def test_submitted_plan_is_read_only(client, auth, approved):
    company, owner = approved
    submitted_plan(company, owner)
    db.session.commit()
    auth.login(owner.email)
    page = client.get("/company/plan").get_data(as_text=True)
    assert 'name="policy_action"' not in page and "Do policy" in page
    response = client.submit("/company/plan", form_fields(plan_of(company).version, save="1"))
    assert response.status_code == 400
    assert plan_of(company).state is PlanState.SUBMITTED


@pytest.mark.parametrize("stage", [Stage.SUBMITTED, Stage.ACTIVE])
def test_companies_without_a_plan_to_write_are_refused(client, auth, stage):
    company = CompanyFactory(stage=stage)
    owner = owner_of(company)
    db.session.commit()
    auth.login(owner.email)
    assert client.get("/company/plan").status_code == 403
    assert client.submit("/company/plan", form_fields(0, save="1")).status_code == 403
    assert plan_of(company) is None


def test_staff_list_shows_plans_waiting(client, auth, approved, reviewer, rep_th):
    company, owner = approved
    submitted_plan(company, owner)
    db.session.commit()
    auth.login(reviewer.email)
    assert "Gamma Travel" in client.get("/review/plans/").get_data(as_text=True)
    auth.logout()
    auth.login(rep_th.email)
    assert "Gamma Travel" not in client.get("/review/plans/").get_data(as_text=True)


def test_reviewer_returns_with_comments_and_the_company_sees_them(
    client, auth, approved, reviewer, smtp
):
    company, owner = approved
    plan = submitted_plan(company, owner)
    db.session.commit()
    auth.login(reviewer.email)
    data = {
        "version": str(plan.version),
        "comment_training": "Count the guides too.",
        "return_comment": "Nearly there.",
    }
    response = client.submit(f"/review/plans/{plan.id}/return", data)
    assert response.status_code == 302 and response.location == "/review/plans/"
    assert plan_of(company).state is PlanState.RETURNED
    [message] = smtp.to(owner.email)
    assert "Count the guides too." in message.get_payload(decode=True).decode()
    auth.logout()
    auth.login(owner.email)
    page = client.get("/company/plan").get_data(as_text=True)
    assert "Count the guides too." in page and "Nearly there." in page
    assert 'name="policy_action"' in page


def test_return_without_any_comment_is_refused(client, auth, approved, reviewer):
    company, owner = approved
    plan = submitted_plan(company, owner)
    db.session.commit()
    auth.login(reviewer.email)
    response = client.submit(f"/review/plans/{plan.id}/return", {"version": str(plan.version)})
    assert response.status_code == 400
    assert plan_of(company).state is PlanState.SUBMITTED


def test_admin_approves_and_the_company_moves_on_to_signing(client, auth, approved, admin, smtp):
    company, owner = approved
    plan = submitted_plan(company, owner)
    db.session.commit()
    auth.login(admin.email)
    response = client.submit(f"/review/plans/{plan.id}/approve", {"version": str(plan.version)})
    assert response.status_code == 302
    assert plan_of(company).state is PlanState.APPROVED
    [message] = smtp.to(owner.email)
    assert subject(message) == "[The Code] Votre plan de mise en œuvre est approuvé"
    auth.logout()
    auth.login(owner.email)
    assert "/company/sign" in client.get("/company/").get_data(as_text=True)


def test_a_representative_sees_no_approve_button_and_cannot_approve(client, auth, approved, rep_fr):
    company, owner = approved
    plan = submitted_plan(company, owner)
    db.session.commit()
    auth.login(rep_fr.email)
    page = client.get(f"/review/plans/{plan.id}").get_data(as_text=True)
    assert "Approve the plan" not in page and "Return the plan" in page
    response = client.submit(f"/review/plans/{plan.id}/approve", {"version": str(plan.version)})
    assert response.status_code == 403
    assert plan_of(company).state is PlanState.SUBMITTED


def test_a_stale_decision_changes_nothing(client, auth, approved, reviewer, smtp):
    company, owner = approved
    plan = submitted_plan(company, owner)
    db.session.commit()
    auth.login(reviewer.email)
    data = {"version": str(plan.version - 1)}
    response = client.submit(f"/review/plans/{plan.id}/approve", data)
    assert response.status_code == 302 and response.location == f"/review/plans/{plan.id}"
    assert plan_of(company).state is PlanState.SUBMITTED
    assert smtp.to(owner.email) == []


def test_staff_read_each_version(client, auth, approved, reviewer):
    company, owner = approved
    plan = submitted_plan(company, owner)
    services.return_plan(plan, reviewer, {"policy": "More."}, "", plan.version)
    services.save_draft(
        plan,
        complete_input(staff_to_train=99),
        owner,
        plan.version,
    )
    services.submit_plan(plan, owner, plan.version)
    db.session.commit()
    auth.login(reviewer.email)
    first = client.get(f"/review/plans/{plan.id}?version=1").get_data(as_text=True)
    latest = client.get(f"/review/plans/{plan.id}").get_data(as_text=True)
    assert "<dd>40</dd>" in first and "<dd>99</dd>" in latest


def test_the_company_record_links_to_its_plan(client, auth, approved, reviewer):
    company, owner = approved
    auth.login(reviewer.email)
    page = client.get(f"/review/companies/{company.id}").get_data(as_text=True)
    assert "has not started its implementation plan" in page
    plan = submitted_plan(company, owner)
    db.session.commit()
    page = client.get(f"/review/companies/{company.id}").get_data(as_text=True)
    assert f'href="/review/plans/{plan.id}"' in page
