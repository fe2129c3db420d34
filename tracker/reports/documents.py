"""Policy documents of annual reports: checking an uploaded PDF, and keeping it on disk.

ECPAT staff open these files on their own computers, so an upload must be a plain PDF they can
read: not another kind of file renamed, not damaged, not password protected, and without active
content (JavaScript, actions that launch programs or send data, embedded files). `check_pdf`
refuses anything else with a `DocumentError` whose message can be shown to the user.

Stored files live under a folder the caller passes in (the app passes
`Path(current_app.instance_path) / "documents"`). A stored file is known by its *name*: 32
random characters from the URL-safe alphabet, e.g. ``"Ab3x…"``, kept in the subfolder named by
its first two characters (``documents/Ab/Ab3x…``) so that no one folder grows huge. The name is
all the database keeps; `path_of` derives the path from it and refuses anything that is not
such a name, so a name can never lead outside the folder.
"""

import hashlib
import logging
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# Every PDF producer starts the file with this. Viewers also accept bytes before it, which is
# how one file can be both an image or a program and a PDF: we do not.
PDF_MAGIC = b"%PDF-"
MAX_OBJECTS = 20_000  # dictionaries and arrays walked; a policy document needs far fewer
NAME_BYTES = 24  # secrets.token_urlsafe(24) gives 32 characters
NAME = re.compile(r"[A-Za-z0-9_-]{32}")
FILE_MODE = 0o600

# Action types that run code, start programs, send or load form data, or play media.
ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/Rendition", "/RichMediaExecute"}
)
# Keys whose presence alone means active content or embedded files:
#   /JS: the script of a JavaScript action; /JavaScript: the document-level scripts name tree;
#   /AA: "additional actions" run on opening, closing, focus, keystrokes…;
#   /EmbeddedFiles: the attachments name tree; /EF: a file specification carrying a file;
#   /XFA: XML forms, whose scripts sit inside streams we do not read.
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EF", "/XFA"})
ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia"})
# Not walked: page contents and resources (fonts, images, colour spaces) hold no actions a
# viewer runs, the structure tree of a tagged PDF can hold one node per paragraph, and /Parent
# and /P only point back at what we came from. Skipping them keeps the walk small.
SKIPPED_KEYS = frozenset({"/Contents", "/Resources", "/StructTreeRoot", "/Parent", "/P"})
CONTAINERS = (IndirectObject, DictionaryObject, ArrayObject)

# "/JS" or "/JavaScript" as a name token in the raw bytes, also when spelt with #xx escapes
# (/J#53 is /JS): a name starting with J or its escape, read up to the next delimiter.
RAW_NAME = re.compile(rb"/(?:J|#4[aA])[^\x00\t\n\x0c\r ()<>\[\]{}/%]*")
RAW_ESCAPE = re.compile(rb"#([0-9a-fA-F]{2})")
RAW_ACTIVE_NAMES = frozenset({b"JS", b"JavaScript"})
# Where a stream's data starts: the keyword after its dictionary (">>" keeps "endstream" out).
RAW_STREAM_START = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
RAW_STREAM_END = b"endstream"


class DocumentError(Exception):
    """An upload we refuse; `message` is translated, for the person who uploaded it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedPdf:
    size: int  # bytes
    pages: int
    sha256: str  # hex digest of the file, to recognise the same upload again


class _Unreadable(Exception):
    """Raised inside the walk when the file is too large or odd to judge."""


def check_pdf(data: bytes, max_bytes: int) -> CheckedPdf:
    """Check that `data` is a readable, unprotected PDF of at most `max_bytes` bytes without
    scripts or embedded files; raise `DocumentError` saying what is wrong otherwise."""
    if not data:
        raise DocumentError(_("The file is empty."))
    if len(data) > max_bytes:
        megabytes = format_decimal(round(max_bytes / (1024 * 1024), 1))
        raise DocumentError(_("The file is larger than %(size)s MB.", size=megabytes))
    if not data.startswith(PDF_MAGIC):
        # Checked before pypdf sees the file: pypdf would search for a PDF inside anything.
        raise DocumentError(_("This file is not a PDF. Choose a PDF file and upload that."))

    damaged = DocumentError(
        _("This PDF is damaged or cannot be read; save it again as PDF and upload that.")
    )
    active = DocumentError(
        _(
            "This PDF contains scripts or embedded files, which we do not accept. Save it again "
            "as a plain PDF (for example with “Print to PDF”) and upload that."
        )
    )
    # Cheapest first, and independent of pypdf reaching the objects: see `_raw_names_active`.
    if _raw_names_active(data):
        raise active
    try:
        encrypted, pages, found_active = _read(data)
    except Exception as error:  # pypdf raises many kinds on odd input; every one means unreadable
        raise damaged from error
    if encrypted:
        raise DocumentError(
            _(
                "This PDF is protected with a password or encrypted. Save it again without "
                "protection and upload that."
            )
        )
    if pages < 1:
        raise damaged
    if found_active:
        raise active
    return CheckedPdf(size=len(data), pages=pages, sha256=hashlib.sha256(data).hexdigest())


def _read(data: bytes) -> tuple[bool, int, bool]:
    """Whether the PDF is encrypted, its number of pages, and whether it has active content.

    pypdf raises warnings (`warnings.warn`) only about deprecated uses of its API, which the
    tests should see; about a damaged file it raises exceptions or logs: see `_quiet_pypdf`.
    """
    with _quiet_pypdf():
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            # Neither pages nor strings can be read without the password: stop here.
            return True, 0, False
        pages = len(reader.pages)
        # The catalog by its reference, so that the walk counts it as seen.
        return False, pages, _has_active_content(dict.get(reader.trailer, "/Root"))


_quiet_lock = threading.Lock()
_quiet_readers = 0  # how many threads are reading a PDF now
_level_before = logging.NOTSET


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Keep pypdf from logging while we read: it logs every oddity it repairs ("EOF marker not
    found"…), and a damaged upload is the user's to fix, not news for the server's log.

    pypdf logs under its modules' names (pypdf._reader…), so the level goes on their parent,
    "pypdf". A count of readers, under a lock, so that the level set by the first of two
    overlapping threads is the one restored by the last.
    """
    global _quiet_readers, _level_before
    logger = logging.getLogger("pypdf")
    with _quiet_lock:
        if _quiet_readers == 0:
            _level_before = logger.level
            logger.setLevel(logging.CRITICAL)  # pypdf logs warnings and errors, never critical
        _quiet_readers += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_readers -= 1
            if _quiet_readers == 0:
                logger.setLevel(_level_before)


def _has_active_content(catalog: object) -> bool:
    """Walk everything reachable from the document catalog that a viewer can act on: the
    names trees, /OpenAction, outlines, forms, pages, annotations and their actions (with their
    /Next chains), looking for scripts, launch or submit actions and embedded files.

    An explicit stack rather than recursion, and a set of the indirect objects already seen, so
    reference cycles and deep nesting cost nothing; more than `MAX_OBJECTS` containers raises
    `_Unreadable`, as a file built to make us work is not a policy document.
    """
    stack: list[object] = [catalog]
    seen: set[tuple[int, int]] = set()
    walked = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            items = list(dict.items(node))  # dict's own: pypdf's would resolve each reference
        elif isinstance(node, ArrayObject):
            items = [(None, value) for value in list.__iter__(node)]
        else:
            continue
        walked += 1
        if walked > MAX_OBJECTS:
            raise _Unreadable("too many objects")
        if isinstance(node, DictionaryObject) and _is_active(node):
            return True
        for name, value in items:
            if name in SKIPPED_KEYS or not isinstance(value, CONTAINERS):
                continue
            if isinstance(value, ArrayObject) and not any(
                isinstance(item, CONTAINERS) for item in list.__iter__(value)
            ):
                continue  # numbers and names only (a /Rect, a /MediaBox): not worth counting
            stack.append(value)
    return False


def _is_active(node: DictionaryObject) -> bool:
    if any(key in node for key in ACTIVE_KEYS):
        return True
    kind = _name(node, "/S")
    if kind in ACTIVE_ACTIONS:
        return True
    return _name(node, "/Subtype") in ACTIVE_ANNOTATIONS


def _name(node: DictionaryObject, key: str) -> str | None:
    value = dict.get(node, key)
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return str(value) if isinstance(value, NameObject) else None


def _raw_names_active(data: bytes) -> bool:
    """Whether the bytes outside streams hold a /JS or /JavaScript name.

    A second net under the walk: it also finds scripts in objects the catalog does not reach,
    which a viewer may still find when it rebuilds a damaged file's cross-reference table.
    Objects compressed in object streams are not seen here; the walk reads those.
    """
    for match in RAW_NAME.finditer(b" ".join(_outside_streams(data))):
        name = RAW_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group()[1:])
        if name in RAW_ACTIVE_NAMES:
            return True
    return False


def _outside_streams(data: bytes) -> list[bytes]:
    """The parts of `data` between streams' data. Stream data is left out because compressed
    data is random bytes, where "/JS" turns up by chance in about one large file in a hundred.

    A loop with `find` rather than one regular expression: ".*?endstream" would scan to the
    end of the file from every "stream" keyword of a file without "endstream", taking hours.
    """
    parts = []
    position = 0
    while match := RAW_STREAM_START.search(data, position):
        end = data.find(RAW_STREAM_END, match.end())
        if end < 0:
            break  # a stream that never ends: scan the rest as it is
        parts.append(data[position : match.start()])
        position = end + len(RAW_STREAM_END)
    parts.append(data[position:])
    return parts


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
