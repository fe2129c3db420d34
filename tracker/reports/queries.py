"""Read queries on reports for staff: only companies they may see (`queries.visible_to`)."""

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager

from tracker.auth.models import User
from tracker.companies import queries
from tracker.companies.enums import CompanyType
from tracker.companies.models import Company
from tracker.extensions import db
from tracker.models_base import MAX_ID
from tracker.reports.models import Report, ReportState, ReportSubmission


def reports_visible_to(user: User) -> Select:
    return (
        select(Report)
        .join(Report.company)
        .options(contains_eager(Report.company))
        .where(queries.visible_to(user))
    )


def report_queue(
    user: User,
    year: int | None = None,
    state: str | None = None,
    country: str | None = None,
    company_type: str | None = None,
) -> Select:
    """The reports `user` may see, filtered; the longest waiting first."""
    query = reports_visible_to(user)
    if year:
        query = query.where(Report.year == year)
    if state:
        query = query.where(Report.state == ReportState(state))
    if country:
        query = query.where(queries.operating_in([country]))
    if company_type:
        query = query.where(Company.type == CompanyType(company_type))
    return query.order_by(Report.submitted_at.is_(None), Report.submitted_at, Report.id)


def report_for_staff(report_id: int, user: User) -> Report | None:
    """A report `user` may see, or None (outside a representative's countries too)."""
    if not 0 < report_id <= MAX_ID:
        return None
    return db.session.scalar(reports_visible_to(user).where(Report.id == report_id))


def versions_of(report_ids: list[int]) -> dict[int, int]:
    """How many versions each of the reports has had submitted, in one query for a page."""
    if not report_ids:
        return {}
    query = (
        select(ReportSubmission.report_id, func.count())
        .where(ReportSubmission.report_id.in_(report_ids))
        .group_by(ReportSubmission.report_id)
    )
    return dict(tuple(row) for row in db.session.execute(query))
