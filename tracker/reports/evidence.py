"""Evidence per criterion: PDF, PNG and JPEG files backing a report's answers.

A PDF is checked as the policy document is (`documents.check_pdf`); an image by its first bytes
(what a PNG or JPEG file starts with, whatever its name says) and its size. Files are stored
as policy documents are, so `documents.prune` and `remove_unused` know them.
"""

from flask import current_app
from flask_babel import gettext as _

from tracker.auth.models import User
from tracker.domain import DomainError
from tracker.extensions import db
from tracker.models_base import utcnow
from tracker.reports import documents, services
from tracker.reports.models import Report, ReportEvidence, Section

PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
# The smallest file that can be an image at all (a header and one pixel's data).
MIN_IMAGE_BYTES = 67


def checked_type(data: bytes, max_bytes: int) -> str:
    """The content type of an acceptable evidence file.

    :raises documents.DocumentError: for an empty or too large file, a PDF `check_pdf`
        refuses, or anything that is neither a PDF, a PNG nor a JPEG.
    """
    if data.startswith(PNG) or data.startswith(JPEG):
        if len(data) > max_bytes:
            size = max_bytes // (1024 * 1024)
            raise documents.DocumentError(_("The file is larger than %(size)s MB.", size=size))
        if len(data) < MIN_IMAGE_BYTES:
            raise documents.DocumentError(_("This image is damaged or empty."))
        return "image/png" if data.startswith(PNG) else "image/jpeg"
    if data.lstrip()[:5] != b"%PDF-":
        raise documents.DocumentError(_("Choose a PDF, PNG or JPEG file."))
    documents.check_pdf(data, max_bytes)
    return "application/pdf"


def check_room(report: Report) -> None:
    """:raises DomainError: when the report keeps as many evidence files as it may."""
    limit = current_app.config.get("REPORT_EVIDENCE_MAX", 30)
    if len(report.evidence) >= limit:
        message = _("This report already has %(count)s files, the most it may have.", count=limit)
        raise DomainError.on("file", message)


def add_evidence(
    report: Report, section: Section, stored: str, name: str, size: int, content_type: str, user
) -> ReportEvidence:
    """Attach a stored, checked file to a criterion of the draft; flushes.

    :raises DomainError: for a report not editable, suspected cases (never evidenced publicly
        or otherwise: they are described in words), or a report with no room left.
    """
    services.require_reporting(report.company)
    if not report.is_editable:
        raise DomainError.on(None, _("This report is submitted and can no longer be changed."))
    if not section.may_be_not_applicable:
        raise DomainError.on("section", _("Choose one of criteria 1 to 5."))
    check_room(report)
    evidence = ReportEvidence(
        section=section,
        stored=stored,
        name=name,
        size=size,
        content_type=content_type,
        uploaded_by_id=user.id,
    )
    report.evidence.append(evidence)
    _touch(report, user)
    return evidence


def is_removable(report: Report, evidence: ReportEvidence) -> bool:
    """Only a file added to the draft since its last submission: a submitted version keeps
    the files it was submitted with."""
    submitted = report.submitted_at
    return report.is_editable and (submitted is None or evidence.uploaded_at > submitted)


def remove_evidence(report: Report, evidence: ReportEvidence, user: User) -> str:
    """Remove a file from the draft; flushes. Returns the stored name, for `remove_unused`
    once committed.

    :raises DomainError: for a file a submitted version was handed in with.
    """
    if evidence.report_id != report.id or not is_removable(report, evidence):
        raise DomainError.on(None, _("This file was submitted with the report and is kept."))
    report.evidence.remove(evidence)
    _touch(report, user)
    return evidence.stored


def _touch(report: Report, user) -> None:
    # A new file is a change of the draft: its version moves, as with any save.
    report.updated_at = utcnow()
    report.updated_by = user
    db.session.flush()


def by_section(items: list[dict]) -> dict[str, list[dict]]:
    """A snapshot's evidence grouped by section value."""
    grouped: dict[str, list[dict]] = {}
    for item in items:
        grouped.setdefault(item["section"], []).append(item)
    return grouped
