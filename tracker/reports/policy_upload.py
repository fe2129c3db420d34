"""The policy document a report form brings: a new upload, or the file kept from a failed save
(see `pending_files`), and which of them a save attaches or a failed save keeps."""

from dataclasses import dataclass, field

from flask import current_app

from tracker.auth.models import User
from tracker.domain import DomainError
from tracker.reports import documents, pending_files
from tracker.reports.models import Report
from tracker.reports.pending_files import KeptFile


@dataclass
class Received:
    """What one POST of the report form brought for the policy document."""

    new: tuple[bytes, str] | None = None  # a checked upload, not stored yet
    pending: KeptFile | None = None  # the file a failed save kept, claimed
    lost: bool = False  # a reference to a file that is no longer kept
    errors: list[tuple[str, str]] = field(default_factory=list)  # the upload refused


def receive(form, report: Report, user: User) -> Received:
    """The new upload (checked) and the pending file (claimed) the form brings. A refused
    upload is in `errors`, beside the rest of the form's mistakes, and the pending file stays."""
    received = Received()
    token = form.pending_document.data or ""
    received.pending = pending_files.claim(token, report, user, pending_files.POLICY)
    received.lost = bool(token) and received.pending is None
    if received.pending and form.discard_pending_document.data:
        pending_files.drop(received.pending)
        received.pending = None
    try:
        received.new = checked_upload(form.policy_document.data)
        if received.new or received.pending:
            documents.check_room(report)
    except DomainError as error:
        received.new = None
        received.errors.extend(error.errors)
    return received


def checked_upload(upload) -> tuple[bytes, str] | None:
    """The uploaded file's content and shown name once checked; None when none was sent.

    :raises DomainError: on the field, for a file that is not an acceptable PDF.
    """
    if not upload or not getattr(upload, "filename", ""):
        return None
    limit = current_app.config["REPORT_DOCUMENT_MAX_BYTES"]
    data = upload.stream.read(limit + 1)
    try:
        documents.check_pdf(data, limit)
    except documents.DocumentError as error:
        raise DomainError.on("policy_document", error.message) from None
    return data, safe_filename(upload.filename)


def safe_filename(name: str) -> str:
    """The uploader's file name as shown back to people: no path, no control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()[:200]
    return base or "policy.pdf"


def to_attach(received: Received) -> KeptFile | None:
    """The file a save attaches: a new upload (stored now) before the pending one."""
    if received.new is None:
        return received.pending
    data, filename = received.new
    return KeptFile(documents.store(data, documents.folder()), filename, len(data))


def keep(received: Received, stored: KeptFile | None = None) -> KeptFile | None:
    """After a failed save: the file to carry to the next one, stored as pending if new.
    `stored` is a new upload the failed save had stored already."""
    if stored is None and received.new is not None:
        stored = to_attach(received)
    return pending_files.carried(stored, received.pending)
