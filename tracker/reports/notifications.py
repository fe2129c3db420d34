"""E-mail about a report handed in: a receipt for the company, and a notice for those who
review it (ECPAT reviewers and administrators, and the Local Code Representatives of the
countries it operates in). Queued in the submitting transaction; delivered after the commit.
Decisions (accept, return) e-mail the company from the review view
(`tracker.review.reports.views.decide`)."""

from flask_babel import lazy_gettext as _l

from tracker.auth.models import User
from tracker.companies import queries
from tracker.extensions import db
from tracker.outbox import queue_email
from tracker.reports.models import Report
from tracker.urls import public_url


def reviewers_of(report: Report) -> list[User]:
    """Who reviews what the company hands in: the staff who may see it."""
    return list(db.session.scalars(queries.staff_seeing(report.company)))


def company_recipients(report: Report, submitter: User) -> list[User]:
    """Who at the company gets the receipt: the one who submitted, and the owner."""
    people = [submitter]
    owner = report.company.owner
    if owner is not None and owner.id != submitter.id:
        people.append(owner)
    return people


def queue_submission_notices(report: Report, submitter: User) -> None:
    """Queue the receipt and the reviewers' notice of the report's latest version."""
    version = report.latest_submission.number
    context = dict(company=report.company, year=report.year, version=version, submitter=submitter)
    for person in company_recipients(report, submitter):
        queue_email(
            person.email,
            _l("Your %(year)s annual report is submitted", year=report.year),
            "report_submitted",
            locale=person.locale,
            link=public_url("reports.index"),
            **context,
        )
    link = public_url("report_review.detail", report_id=report.id)
    for person in reviewers_of(report):
        queue_email(
            person.email,
            _l(
                "%(company)s submitted its %(year)s annual report",
                company=report.company.display_name,
                year=report.year,
            ),
            "report_submitted_staff",
            locale=person.locale,
            link=link,
            **context,
        )
