"""The migration giving each submitted version its own document carries existing rows across."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from tests.reports.helpers import member
from tests.reports.test_views import started
from tracker.extensions import db
from tracker.reports.models import ReportSubmission

BEFORE = "b7e3f9a2c614"  # the revision before submission_documents
FILE = "B" * 32


def version(report, owner, number: int, name: str | None) -> ReportSubmission:
    content = {"policy_document_name": name}
    return ReportSubmission(report=report, number=number, submitted_by_id=owner.id, content=content)


def test_versions_get_the_reports_file_only_where_it_is_the_one_they_were_submitted_with():
    company, owner = member(countries=("TH",))
    report = started(company, owner)
    report.policy_document, report.policy_document_name = FILE, "now.pdf"
    # Version 1 was submitted with another file (its file was never kept apart); version 2
    # with the report's current one.
    db.session.add_all(
        [version(report, owner, 1, "then.pdf"), version(report, owner, 2, "now.pdf")]
    )
    without = started(*member(countries=("KH",)))
    db.session.add(version(without, owner, 1, None))
    db.session.commit()
    try:
        downgrade(revision=BEFORE)
    finally:
        upgrade()
    db.session.expire_all()
    rows = db.session.execute(
        select(
            ReportSubmission.report_id, ReportSubmission.number, ReportSubmission.policy_document
        ).order_by(ReportSubmission.report_id, ReportSubmission.number)
    ).all()
    assert [tuple(row) for row in rows] == [
        (report.id, 1, None),
        (report.id, 2, FILE),
        (without.id, 1, None),
    ]
