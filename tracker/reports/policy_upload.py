"""The policy document a report form brings: a new upload, or the file kept from a failed save.

A save that fails (a mistake elsewhere on the form, a colleague's save meanwhile) keeps a good
file rather than making the person choose it again: it is stored at once, but no row refers
to it yet, so it is *pending*. The page carries a reference to it (`reference`), signed and
bound to the report and the person; only that person's next save of that report can claim it
(`claim`), and a save that succeeds attaches it. Nothing lists pending files, and nothing else
serves them.

A pending file never claimed is an unused file like any other: `documents.prune` removes it
once older than its minimum age (60 minutes by default). A reference lives for less than that
(`REPORT_PENDING_DOCUMENT_MAX_AGE`), and each failed save that keeps the file again restarts
both clocks (`keep`), so a live reference finds its file unless pruning was told to be quicker.
"""

import contextlib
import os
from dataclasses import dataclass, field

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from tracker.auth.models import User
from tracker.domain import DomainError
from tracker.reports import documents
from tracker.reports.models import Report

SALT = "report-pending-document"


@dataclass(frozen=True)
class PolicyFile:
    """A checked PDF on disk: its stored name, the uploader's file name and its size."""

    stored: str
    filename: str
    size: int


@dataclass
class Received:
    """What one POST of the report form brought for the policy document."""

    new: tuple[bytes, str] | None = None  # a checked upload, not stored yet
    pending: PolicyFile | None = None  # the file a failed save kept, claimed
    lost: bool = False  # a reference to a file that is no longer kept
    errors: list[tuple[str, str]] = field(default_factory=list)  # the upload refused


def receive(form, report: Report, user: User) -> Received:
    """The new upload (checked) and the pending file (claimed) the form brings. A refused
    upload is in `errors`, beside the rest of the form's mistakes, and the pending file stays."""
    received = Received()
    token = form.pending_document.data or ""
    received.pending = claim(token, report, user) if token else None
    received.lost = bool(token) and received.pending is None
    if received.pending and form.discard_pending_document.data:
        # Not attached: `documents.remove_unused` deletes it unless a save already did.
        documents.remove_unused([received.pending.stored], documents.folder())
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


def to_attach(received: Received) -> PolicyFile | None:
    """The file a save attaches: a new upload (stored now) before the pending one."""
    if received.new is None:
        return received.pending
    data, filename = received.new
    return PolicyFile(documents.store(data, documents.folder()), filename, len(data))


def keep(received: Received, stored: PolicyFile | None = None) -> PolicyFile | None:
    """After a failed save: the file to carry to the next one, stored as pending if new.
    `stored` is a new upload the failed save had stored already. A pending file replaced by
    a new upload is removed."""
    if stored is None and received.new is not None:
        stored = to_attach(received)
    if stored is None:
        if received.pending is not None:
            _restart_clock(received.pending)
        return received.pending
    if received.pending is not None and received.pending.stored != stored.stored:
        documents.remove_unused([received.pending.stored], documents.folder())
    return stored


def _restart_clock(file: PolicyFile) -> None:
    """Make the kept file young again for `documents.prune`: its new reference lives anew."""
    with contextlib.suppress(OSError):  # gone meanwhile: the next save says so
        os.utime(documents.path_of(file.stored, documents.folder()))


def reference(file: PolicyFile, report: Report, user: User) -> str:
    """A signed, expiring reference to the pending `file` for `user`'s next save of `report`."""
    return _serializer().dumps([file.stored, file.filename, file.size, report.id, user.id])


def claim(token: str, report: Report, user: User) -> PolicyFile | None:
    """The pending file `token` refers to, if it was given to `user` for `report`, has not
    expired and is still on disk; None otherwise (forged, someone else's, or pruned)."""
    max_age = current_app.config["REPORT_PENDING_DOCUMENT_MAX_AGE"].total_seconds()
    try:
        stored, filename, size, report_id, user_id = _serializer().loads(token, max_age=max_age)
        path = documents.path_of(stored, documents.folder())
    except (BadData, ValueError, TypeError):
        return None
    if (report_id, user_id) != (report.id, user.id) or not path.is_file():
        return None
    return PolicyFile(stored, str(filename), int(size))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)
