"""Staff pages for implementation plans: the list awaiting review, one plan, and decisions."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from tracker.audit import AuditAction
from tracker.auth.models import Role
from tracker.auth.permissions import roles_required, staff_required
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import MAX_ID
from tracker.paging import Page
from tracker.plans import emails, lifecycle, queries, services
from tracker.plans.forms import STAFF_SECTION_LABELS, ApprovePlanForm, ReturnPlanForm
from tracker.plans.models import Plan, PlanCriterion, PlanState

bp = Blueprint("plan_review", __name__, url_prefix="/review/plans")

MAX_PAGE = 100_000
ecpat_required = roles_required(Role.REVIEWER, Role.ADMIN)


@bp.get("/")
@staff_required
def queue():
    state_value = request.args.get("state", PlanState.SUBMITTED.value)
    state = PlanState(state_value) if state_value in PlanState._value2member_map_ else None
    query = queries.plan_queue(current_user, state)
    page_number = request.args.get("page", 1, type=int)
    if not 1 <= page_number <= MAX_PAGE:
        page_number = 1
    per_page = current_app.config["PER_PAGE"]
    total = db.session.scalar(query.with_only_columns(db.func.count()).order_by(None))
    plans = list(db.session.scalars(query.limit(per_page).offset((page_number - 1) * per_page)))
    return render_template(
        "review/plan_queue.html",
        plans=plans,
        state=state,
        states=list(PlanState),
        page=Page(page_number, per_page, total),
    )


def plan_or_404(plan_id: int) -> Plan:
    plan = queries.plan_for_staff(plan_id, current_user) if 0 < plan_id <= MAX_ID else None
    if plan is None:
        abort(404)
    return plan


def render_detail(plan: Plan, approve_form=None, return_form=None, status: int = 200):
    number = request.args.get("version", type=int)
    submissions = plan.submissions
    shown = next((s for s in submissions if s.number == number), None) or (
        submissions[-1] if submissions else None
    )
    page = render_template(
        "review/plan_detail.html",
        plan=plan,
        company=plan.company,
        shown=shown,
        content=shown.content if shown else services.snapshot(plan),
        criteria=list(PlanCriterion),
        section_labels=STAFF_SECTION_LABELS,
        approve_form=approve_form or ApprovePlanForm(version=str(plan.version)),
        return_form=return_form or ReturnPlanForm(version=str(plan.version)),
        may_approve=lifecycle.allowed(AuditAction.PLAN_APPROVED, plan, current_user),
        may_return=lifecycle.allowed(AuditAction.PLAN_RETURNED, plan, current_user),
    )
    return page, status


@bp.get("/<int:plan_id>")
@staff_required
def detail(plan_id: int):
    return render_detail(plan_or_404(plan_id))


@bp.post("/<int:plan_id>/approve")
@ecpat_required
def approve(plan_id: int):
    plan = plan_or_404(plan_id)
    form = ApprovePlanForm()
    if not form.validate_on_submit():
        return render_detail(plan, approve_form=form, status=400)
    comment = form.approve_comment.data or ""
    return decide(
        plan, lambda: services.approve_plan(plan, current_user, comment, form.seen_version)
    )


@bp.post("/<int:plan_id>/return", endpoint="return")
@staff_required
def return_(plan_id: int):
    plan = plan_or_404(plan_id)
    form = ReturnPlanForm()
    if not form.validate_on_submit():
        return render_detail(plan, return_form=form, status=400)
    comments = {key: field.data or "" for key, field in form.section_fields()}
    overall = form.return_comment.data or ""
    if not any(text.strip() for text in [*comments.values(), overall]):
        form.form_errors.append(_("Say what needs changing, on a part of the plan or overall."))
        return render_detail(plan, return_form=form, status=400)
    return decide(
        plan,
        lambda: services.return_plan(plan, current_user, comments, overall, form.seen_version),
    )


def decide(plan: Plan, decision):
    """Decide and e-mail the company in one transaction, commit, go back to the list."""
    try:
        decision()
    except (services.PlanConflict, StaleDataError):
        db.session.rollback()
        flash(_("The plan changed while you were reading it: read it again, then decide."), "error")
        return redirect(url_for("plan_review.detail", plan_id=plan.id))
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("plan_review.detail", plan_id=plan.id))
    emails.queue_decision(plan)
    db.session.commit()
    flash(
        _(
            "%(company)s: implementation plan %(state)s.",
            company=plan.company.display_name,
            state=plan.state.label.lower(),
        ),
        "success",
    )
    return redirect(url_for("plan_review.queue"))
