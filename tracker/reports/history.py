"""A company's history with its reports' entries, whose statuses are the report's states."""

from tracker.companies import history
from tracker.companies.models import Company
from tracker.reports.models import ReportState

# A report's entries ("report.submitted", ...) move the report's state, not the company's.
REPORT_STATES = {"report.": ReportState}


def company_history(company: Company) -> list[history.HistoryItem]:
    return history.company_history(company, REPORT_STATES)
