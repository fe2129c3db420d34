"""Files kept from a failed save ("pending"): stored, but no row refers to them yet.

A save that fails (a mistake elsewhere on the form, a colleague's save meanwhile) keeps a good
file rather than making the person choose it again: it is stored at once and the page carries
a reference to it (`reference`), signed and bound to the report, the person and the kind of
file (a policy document, an evidence file), so that only that person's next save of that
report and that form can claim it (`claim`). Nothing lists pending files, nothing serves them.

A pending file never claimed is an unused file like any other: `documents.prune` removes it
once older than its minimum age (60 minutes by default). A reference lives for less than that
(`REPORT_PENDING_DOCUMENT_MAX_AGE`), and each failed save that keeps the file again restarts
both clocks (`restart_clock`), so a live reference finds its file unless pruning was told to be
quicker; then the page asks for the file again.
"""

import contextlib
import os
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from tracker.auth.models import User
from tracker.reports import documents
from tracker.reports.models import Report

POLICY, EVIDENCE = "policy", "evidence"  # kinds: a reference claims a file of its kind only


@dataclass(frozen=True)
class KeptFile:
    """A checked file on disk: its stored name, the uploader's file name, size and type."""

    stored: str
    filename: str
    size: int
    content_type: str = "application/pdf"


def reference(file: KeptFile, report: Report, user: User, kind: str) -> str:
    """A signed, expiring reference to the pending `file` for `user`'s next save of `report`."""
    payload = [file.stored, file.filename, file.size, file.content_type, report.id, user.id]
    return _serializer(kind).dumps(payload)


def claim(token: str, report: Report, user: User, kind: str) -> KeptFile | None:
    """The pending file `token` refers to, if it was given to `user` for `report` and `kind`,
    has not expired and is still on disk; None otherwise (forged, someone else's, pruned)."""
    if not token:
        return None
    max_age = current_app.config["REPORT_PENDING_DOCUMENT_MAX_AGE"].total_seconds()
    try:
        stored, filename, size, content_type, report_id, user_id = _serializer(kind).loads(
            token, max_age=max_age
        )
        path = documents.path_of(stored, documents.folder())
    except (BadData, ValueError, TypeError):
        return None
    if (report_id, user_id) != (report.id, user.id) or not path.is_file():
        return None
    return KeptFile(stored, str(filename), int(size), str(content_type))


def restart_clock(file: KeptFile) -> None:
    """Make the kept file young again for `documents.prune`: its new reference lives anew."""
    with contextlib.suppress(OSError):  # gone meanwhile: the next save says so
        os.utime(documents.path_of(file.stored, documents.folder()))


def carried(new: KeptFile | None, pending: KeptFile | None) -> KeptFile | None:
    """After a failed save: the file to carry to the next one. A new upload (stored by the
    caller) replaces the pending file, which is dropped; a pending file alone is kept anew."""
    if new is None:
        if pending is not None:
            restart_clock(pending)
        return pending
    if pending is not None and pending.stored != new.stored:
        drop(pending)
    return new


def drop(file: KeptFile) -> None:
    """Delete a pending file no longer wanted, unless a save meanwhile made it a row's."""
    documents.remove_unused([file.stored], documents.folder())


def _serializer(kind: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=f"report-pending-{kind}")
