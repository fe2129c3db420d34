"""The company dashboard (/company/): where the company stands, its plan, invoices and reports."""

from flask import Blueprint, render_template
from flask_login import current_user

from tracker.auth.forms import EmptyForm
from tracker.auth.permissions import company_user_required
from tracker.billing import services as billing
from tracker.companies import change_requests, journey, services
from tracker.companies.criteria import current_version
from tracker.plans import services as plan_services
from tracker.reports import next_step
from tracker.reports import services as report_services
from tracker.reports.history import company_history

# The same prefix as the company's own pages (companies/views.py): the dashboard is their root.
bp = Blueprint("dashboard", __name__, url_prefix="/company")


@bp.get("/")
@company_user_required
def index():
    company = current_user.company
    if company is None:
        return render_template("dashboard/start.html", form=EmptyForm())
    approved_plan = plan_services.plan_approved(company)
    open_invoices = billing.open_invoices_of(company)
    return render_template(
        "dashboard/index.html",
        company=company,
        change_request=change_requests.open_request(company),
        decision=services.latest_decision(company),
        history=company_history(company),
        signature=company.latest_signature,
        criteria_version=current_version(),
        plan=plan_services.plan_for(company),
        where=journey.where_you_are(company, current_user, approved_plan, bool(open_invoices)),
        open_invoices=open_invoices,
        renewal_year=billing.renewal_year(company, billing.today()),
        membership_current=billing.membership_current(company, billing.today()),
        today=billing.today(),
        **reporting_context(company),
    )


def reporting_context(company) -> dict:
    """The dashboard's reporting parts: standing, next report, returned reports, questions."""
    on = report_services.today()
    standing = report_services.standing_for(company, on)
    return {
        "standing": standing,
        "reports": report_services.reports_of(company) if company.has_membership else [],
        "next_report": next_step.next_step_of(company, standing, on),
        "returned_reports": next_step.returned_reports(company),
        "questions_open": next_step.may_read_questions(company),
    }
