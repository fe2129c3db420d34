"""The company's implementation plan: write it, save it, submit it, read the decision."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tracker.auth.permissions import company_user_required, own_company_or_404
from tracker.companies.models import Company
from tracker.domain import DomainError, populate_errors
from tracker.extensions import db
from tracker.plans import emails, services
from tracker.plans.forms import PlanForm
from tracker.plans.models import Plan, PlanCriterion
from tracker.write_limits import limit_company_writes

bp = Blueprint("plans", __name__, url_prefix="/company")

YES_NO = {True: "yes", False: "no", None: None}


def own_company_planning() -> Company:
    """The user's company, if it may see a plan page (404 without a company, else 403)."""
    company = own_company_or_404()
    if not services.may_view(company):
        abort(403)
    return company


def form_data(plan: Plan | None) -> dict:
    if plan is None:
        return {"version": "0"}
    data = {
        "version": str(plan.version),
        "staff_to_train": plan.staff_to_train,
        "organises_volunteering": YES_NO[plan.organises_volunteering],
    }
    for criterion in PlanCriterion:
        for part in ("action", "responsible", "due_on"):
            data[f"{criterion.value}_{part}"] = plan.part(criterion, part)
    return data


def input_from(form: PlanForm) -> services.PlanInput:
    criteria = {
        criterion: services.CriterionInput(
            action=form[f"{criterion.value}_action"].data,
            responsible=form[f"{criterion.value}_responsible"].data,
            due_on=form[f"{criterion.value}_due_on"].data,
        )
        for criterion in PlanCriterion
    }
    return services.PlanInput(
        criteria=criteria,
        staff_to_train=form.staff_to_train.data,
        organises_volunteering={"yes": True, "no": False}.get(form.organises_volunteering.data),
    )


def render_plan(company: Company, plan: Plan | None, form=None, conflict=False, status=200):
    editable = services.is_planning(company) and (plan is None or plan.is_editable)
    page = render_template(
        "plans/edit.html",
        company=company,
        plan=plan,
        form=form or PlanForm(data=form_data(plan)),
        editable=editable,
        comments=services.returned_comments(plan) if plan else {},
        criteria=list(PlanCriterion),
        conflict=conflict,
    )
    return page, status


@bp.get("/plan")
@company_user_required
def edit():
    company = own_company_planning()
    return render_plan(company, services.plan_for(company))


@bp.post("/plan")
@company_user_required
@limit_company_writes
def save():
    company = own_company_planning()
    form = PlanForm()
    if not form.validate_on_submit():
        return render_plan(company, services.plan_for(company), form, status=400)
    try:
        plan, missing = save_and_submit(company, form, submitting="submit" in request.form)
        db.session.commit()
    except (services.PlanConflict, StaleDataError, IntegrityError):
        # A colleague saved (or started) the plan after this page was loaded.
        db.session.rollback()
        current = services.plan_for(company)
        form.version.data = str(current.version if current else 0)
        return render_plan(company, current, form, conflict=True, status=409)
    except DomainError as error:
        db.session.rollback()
        populate_errors(form, error)
        return render_plan(company, services.plan_for(company), form, status=400)
    if missing:
        # The draft is saved; what is still needed shows beside each field.
        populate_errors(form, DomainError(*missing))
        form.version.data = str(plan.version)
        flash(_("Draft saved, but not submitted: some answers are missing."), "error")
        return render_plan(company, plan, form, status=400)
    if plan.awaits_review:
        message = _("Your implementation plan is submitted. ECPAT e-mails you once it is reviewed.")
    else:
        message = _("Draft saved. You can come back to it at any time.")
    flash(message, "success")
    return redirect(url_for("plans.edit"))


def save_and_submit(company: Company, form: PlanForm, submitting: bool):
    """Save the draft (the first save starts the plan), then submit it if asked and complete;
    returns the plan and what it still lacks for submitting (nothing if not asked).

    :raises PlanConflict: if the plan changed after the page was read.
    :raises DomainError: for answers that break a rule, or a plan not open for changes.
    """
    plan = services.plan_for(company)
    if plan is None:  # nothing to conflict with, unless a colleague starts it meanwhile
        plan = services.start_plan(company, current_user)
        seen = plan.version
    else:
        seen = form.seen_version
    services.save_draft(plan, input_from(form), current_user, seen)
    missing = services.missing_answers(plan) if submitting else []
    if submitting and not missing:
        services.submit_plan(plan, current_user, plan.version)
        emails.queue_submitted(plan, current_user)
    return plan, missing
