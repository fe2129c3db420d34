"""Policy documents of annual reports: keeping the checked PDFs on disk, serving them, and
removing the files no report or version refers to any more.

Checking an upload is `pdf_check`'s work (re-exported here: `documents.check_pdf`).

Stored files live under a folder the caller passes in (the app passes `folder()`). A stored file
is known by its *name*: 32 random characters from the URL-safe alphabet, e.g. ``"Ab3x…"``, kept
in the subfolder named by its first two characters (``documents/Ab/Ab3x…``) so that no one
folder grows huge. The name is all the database keeps; `path_of` derives the path from it and
refuses anything that is not such a name, so a name can never lead outside the folder.
"""

import logging
import os
import re
import secrets
import stat
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from tracker.domain import DomainError
from tracker.extensions import db
from tracker.reports.models import Report, ReportEvidence, ReportSubmission
from tracker.reports.pdf_check import CheckedPdf, DocumentError, check_pdf

__all__ = ["CheckedPdf", "DocumentError", "check_pdf", "delete", "folder", "path_of", "store"]

log = logging.getLogger(__name__)

NAME_BYTES = 24  # secrets.token_urlsafe(24) gives 32 characters
NAME = re.compile(r"[A-Za-z0-9_-]{32}")
FILE_MODE = 0o600


def store(data: bytes, folder: Path) -> str:
    """Write `data` under a new random name in `folder` and return the name (see the module
    docstring); the file is readable by this user only, and appears whole or not at all."""
    name = secrets.token_urlsafe(NAME_BYTES)
    target = path_of(name, folder)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkstemp creates the file with mode 0o600; in the same folder, so os.replace is atomic.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return name


def path_of(name: str, folder: Path) -> Path:
    """The path of the stored file `name`; ValueError unless `name` is one `store` could have
    returned, so no name (``../x``, ``/etc/passwd``, …) can point outside `folder`."""
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ValueError("not a stored document name")
    return Path(folder) / name[:2] / name


def delete(name: str, folder: Path) -> None:
    """Remove the stored file `name`; one already gone is fine."""
    path_of(name, folder).unlink(missing_ok=True)


def folder() -> Path:
    """Where policy documents are kept: REPORT_DOCUMENT_FOLDER, else instance/documents."""
    configured = current_app.config.get("REPORT_DOCUMENT_FOLDER")
    return Path(configured) if configured else Path(current_app.instance_path) / "documents"


# -- Serving ----------------------------------------------------------------------------------

# What a download's name keeps of the uploader's: letters, digits and a few marks every system
# takes in a file name; anything else (quotes, slashes, control characters) becomes "_".
UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9 ._()-]+")
NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|;]+')
STEM_LENGTH = 100


def download_headers(
    original: str | None, extension: str = "pdf", content_type: str = "application/pdf"
) -> dict[str, str]:
    """Headers that make a browser save the file as a PDF (or the checked image type),
    whatever the uploader called it.

    The name is derived from the uploader's with its extension replaced by ".pdf" (a name
    ending in .html or .exe would open as a web page or run as a program once saved); a name
    with other than ASCII letters also goes in RFC 6266's ``filename*``, which browsers prefer.
    """
    stem = _stem(original or "")
    ascii_stem = UNSAFE_IN_NAME.sub("_", _ascii(stem)).strip(" ._") or "policy"
    disposition = f'attachment; filename="{ascii_stem[:STEM_LENGTH]}.{extension}"'
    full = NOT_IN_FILE_NAMES.sub("_", stem).strip(" .")[:STEM_LENGTH]
    if full and full != ascii_stem[:STEM_LENGTH]:
        disposition += "; filename*=UTF-8''" + quote(f"{full}.{extension}", safe="!#$&+-.^_`|~")
    return {
        "Content-Type": content_type,
        "Content-Disposition": disposition,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-cache",
    }


def _stem(name: str) -> str:
    """The printable part of `name` after its last path separator, without its extension(s)
    (".pdf" too: one is added back)."""
    base = "".join(ch for ch in name.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable())
    stem = base.strip()
    while "." in stem:
        stem = stem.rsplit(".", 1)[0].rstrip()
        if not stem.lower().endswith(".pdf"):
            break
    return stem.strip()


def _ascii(text: str) -> str:
    """`text` with accents dropped (é → e) and other non-ASCII letters left out."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


# -- Which files are in use -------------------------------------------------------------------


def check_room(report: Report) -> None:
    """Whether one more file may be stored for `report`: the draft's own file is replaced (and
    removed) by the next, but each version's stays, up to REPORT_DOCUMENTS_MAX files.

    :raises DomainError: on the policy document field when the report has no room left.
    """
    limit = current_app.config["REPORT_DOCUMENTS_MAX"]
    kept = {s.policy_document for s in report.submissions if s.policy_document}
    if len(kept) + 1 > limit:
        raise DomainError.on(
            "policy_document",
            _(
                "This report already keeps %(count)s documents, the most it may have. Write to "
                "ECPAT if the document on record must change.",
                count=len(kept),
            ),
        )


def attach(report: Report, stored: str, filename: str, size: int) -> str | None:
    """Make the stored file `stored` the draft's policy document; flushes. Returns the name of
    the file it replaces, for `remove_unused` once the transaction has committed."""
    replaced = report.policy_document
    report.policy_document, report.policy_document_name = stored, filename
    report.policy_document_size = size
    db.session.flush()
    return replaced if replaced != stored else None


def in_use(names: Iterable[str]) -> set[str]:
    """Which of `names` a report's draft or a submitted version refers to."""
    names = list(set(names))
    if not names:
        return set()
    drafts = select(Report.policy_document).where(Report.policy_document.in_(names))
    versions = select(ReportSubmission.policy_document).where(
        ReportSubmission.policy_document.in_(names)
    )
    evidence = select(ReportEvidence.stored).where(ReportEvidence.stored.in_(names))
    return set(db.session.scalars(drafts.union(versions, evidence)))


def remove_unused(names: Iterable[str | None], folder: Path) -> int:
    """Delete those of the stored files `names` that no row refers to; how many were deleted.

    Call it only after the commit that stopped referring to them: before, a rollback would
    leave a row pointing at a deleted file. A file that cannot be deleted is logged and left
    for `prune`; the commit has happened, so the request has succeeded.
    """
    candidates = {name for name in names if name and NAME.fullmatch(name)}
    try:
        unused = candidates - in_use(candidates)
    except SQLAlchemyError:  # a database gone away after our commit: prune finds them later
        log.warning("Could not look up documents to remove: %s", candidates, exc_info=True)
        db.session.rollback()
        return 0
    removed = 0
    for name in unused:
        try:
            delete(name, folder)
            removed += 1
        except OSError:
            log.warning("Could not remove the unused document %s", name, exc_info=True)
    return removed


# -- Pruning ----------------------------------------------------------------------------------

PRUNE_BATCH = 500  # names looked up in one query


@dataclass
class PruneCounts:
    removed: int = 0  # stored files no row refers to
    removed_bytes: int = 0
    in_use: int = 0
    recent: int = 0  # too young to judge: an upload may not have committed yet
    temporary: int = 0  # half-written uploads left by a crash
    other: int = 0  # not ours: left alone


def prune(
    folder: Path,
    min_age_seconds: float,
    dry_run: bool = False,
    progress: Callable[[int], None] = lambda n: None,
) -> PruneCounts:
    """Delete the files in `folder` that no report or version refers to and that are older
    than `min_age_seconds` (a younger one may belong to an upload not yet committed), and
    uploads half written before a crash; `progress(1)` after each subfolder."""
    counts = PruneCounts()
    cutoff = time.time() - min_age_seconds
    for subfolder in subfolders(folder):
        batch: dict[str, Path] = {}
        for path in sorted(subfolder.iterdir()):
            kind = _kind(path, subfolder.name, cutoff)
            if kind == "stored":
                batch[path.name] = path
            elif kind == "temporary":
                counts.temporary += 1
                if not dry_run:
                    path.unlink(missing_ok=True)
            else:
                setattr(counts, kind, getattr(counts, kind) + 1)
            if len(batch) >= PRUNE_BATCH:
                _prune_batch(batch, counts, dry_run)
        _prune_batch(batch, counts, dry_run)
        progress(1)
    return counts


def _kind(path: Path, subfolder: str, cutoff: float) -> str:
    """What `path` is: "stored" (a file `store` wrote), "temporary" (an upload half written),
    "recent" (too young to judge) or "other" (not ours, or gone meanwhile)."""
    try:
        status = path.lstat()
    except FileNotFoundError:
        return "other"
    if not stat.S_ISREG(status.st_mode):
        return "other"
    if status.st_mtime > cutoff:
        return "recent"
    if path.name.startswith(".upload-"):
        return "temporary"
    if NAME.fullmatch(path.name) and path.name[:2] == subfolder:
        return "stored"
    return "other"


def subfolders(folder: Path) -> list[Path]:
    """The two-character subfolders `store` writes into."""
    if not Path(folder).is_dir():
        return []
    return sorted(p for p in Path(folder).iterdir() if p.is_dir() and len(p.name) == 2)


def _prune_batch(batch: dict[str, Path], counts: PruneCounts, dry_run: bool) -> None:
    used = in_use(batch)
    counts.in_use += len(used)
    for name, path in batch.items():
        if name in used:
            continue
        counts.removed += 1
        try:
            counts.removed_bytes += path.stat().st_size
            if not dry_run:
                path.unlink()
        except FileNotFoundError:
            pass  # removed meanwhile (by a save's own clean-up, say): gone either way
    batch.clear()
