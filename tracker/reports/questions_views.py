"""The annual report's questions, read-only and printable: a company prepares its answers
before its first report is due (from its approval on)."""

from flask import Blueprint, abort, render_template

from tracker.auth.permissions import company_user_required, own_company_or_404
from tracker.reports.next_step import may_read_questions
from tracker.reports.questions import report_questions

bp = Blueprint("report_questions", __name__, url_prefix="/company/reports")


@bp.get("/questions")
@company_user_required
def index():
    company = own_company_or_404()
    if not may_read_questions(company):
        abort(403)  # an application under review or sent back: its report is far off
    return render_template("reports/questions.html", company=company, sections=report_questions())
