"""Policy documents of annual reports: keeping the checked PDFs on disk, serving them, and
removing the files no report or version refers to any more.

Checking an upload is `pdf_check`'s work (re-exported here: `documents.check_pdf`).

Stored files live under a folder the caller passes in (the app passes `folder()`). A stored file
is known by its *name*: 32 random characters from the URL-safe alphabet, e.g. ``"Ab3x…"``, kept
in the subfolder named by its first two characters (``documents/Ab/Ab3x…``) so that no one
folder grows huge. The name is all the database keeps; `path_of` derives the path from it and
refuses anything that is not such a name, so a name can never lead outside the folder.
"""

import os
import re
import secrets
import tempfile
from pathlib import Path

from flask import current_app

from tracker.reports.pdf_check import CheckedPdf, DocumentError, check_pdf

__all__ = ["CheckedPdf", "DocumentError", "check_pdf", "delete", "folder", "path_of", "store"]

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
