"""Checking an uploaded policy document: a plain, readable PDF, or a message saying why not.

ECPAT staff open these files on their own computers, so an upload must be a plain PDF they can
read: not another kind of file renamed or dressed up as a PDF, not damaged, not password
protected, and without active content (scripts, actions that launch programs, open other files
or send data, media, embedded files). `check_pdf` refuses anything else with a `DocumentError`
whose message can be shown to the user.

Active content is looked for in *every* object of the file, whether or not the document's
catalog leads to it: a viewer follows links (a form field's /Parent, say) that a walk from the
catalog may skip, and rebuilds a damaged file's cross-references from whatever objects it finds.
"""

import hashlib
import re
from dataclasses import dataclass
from io import BytesIO

from flask_babel import format_decimal
from flask_babel import gettext as _
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

# Every PDF producer starts the file with this. Viewers also accept bytes before it, which is
# how one file can be both an image or a program and a PDF: we do not.
PDF_MAGIC = b"%PDF-"
# Old browsers guessed a file's type from HTML tags in its first bytes whatever it was served
# as. A PDF never has them there (hex strings hold only 0-9, a-f), a PDF/HTML polyglot does.
SNIFFED_BYTES = 1024
HTML_TAG = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|img|meta)[\s/>]", re.I
)
# Objects listed, and dictionaries and arrays walked: a long tagged report has ~20,000. pypdf
# parses ~10,000 objects a second, so this also bounds the work one upload can cause.
MAX_OBJECTS = 50_000
MAX_CHAIN = 100  # actions run one after another on opening (/Next): real files have one

# Action types that run code, start programs, open other files, send or load form data, or
# play media: refused wherever they are, even behind a click.
ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",  # opens another PDF, perhaps on a network share
        "/GoToE",  # opens an embedded one
        "/Sound",
        "/Movie",
        "/Rendition",
        "/RichMediaExecute",
    }
)
# Keys whose presence alone means active content or embedded files:
#   /JS: the script of a JavaScript action; /JavaScript: the document-level scripts name tree;
#   /AA: "additional actions" run on opening, closing, focus, keystrokes… without a click;
#   /EmbeddedFiles: the attachments name tree; /EF: a file specification carrying a file;
#   /XFA: XML forms, whose scripts sit inside streams we do not read;
#   /RichMediaContent: Flash or video with its own scripts.
ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EF", "/XFA", "/RichMediaContent"}
)
ACTIVE_TYPES = frozenset({"/EmbeddedFile"})  # an attached file's stream, even unreferenced
ACTIVE_ANNOTATIONS = frozenset(
    {"/FileAttachment", "/RichMedia", "/Sound", "/Movie", "/Screen", "/3D"}
)
# A link may open a web page or write an e-mail when clicked; file:, smb:, javascript: and
# relative (to a /URI /Base) targets open files or programs instead.
LINK_SCHEMES = ("http://", "https://", "mailto:")
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
    active content.

    :raises DocumentError: saying what is wrong, for the person who uploaded the file.
    """
    if not data:
        raise DocumentError(_("The file is empty."))
    if len(data) > max_bytes:
        megabytes = format_decimal(round(max_bytes / (1024 * 1024), 1))
        raise DocumentError(_("The file is larger than %(size)s MB.", size=megabytes))
    # Checked before pypdf sees the file: pypdf would search for a PDF inside anything.
    if not data.startswith(PDF_MAGIC) or HTML_TAG.search(data, 0, SNIFFED_BYTES):
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
    tests should see; about a damaged file it raises exceptions or logs, and its logs are kept
    out of ours once for all at start: see tracker/logging_setup.py.
    """
    reader = PdfReader(BytesIO(data), strict=False)
    if reader.is_encrypted:
        # Neither pages nor strings can be read without the password: stop here.
        return True, 0, False
    objects = _listed_objects(reader)  # counted before pypdf parses any of them
    pages = len(reader.pages)
    return False, pages, _has_active_content(reader, objects)


def _listed_objects(reader: PdfReader) -> list[IndirectObject]:
    """Every object the cross-references list: in the file's body, and compressed in object
    streams (which a walk from the catalog through /Parent links, say, would miss).

    :raises _Unreadable: for more than `MAX_OBJECTS` of them.
    """
    numbers = [(n, gen) for gen, entries in reader.xref.items() for n in entries]
    numbers += [(n, 0) for n in reader.xref_objStm]
    if len(numbers) > MAX_OBJECTS:
        raise _Unreadable("too many objects")
    return [IndirectObject(n, gen, reader) for n, gen in numbers]


def _has_active_content(reader: PdfReader, objects: list[IndirectObject]) -> bool:
    """Walk every object of the file, and everything they refer to, looking for scripts,
    actions that launch, open or send, media and embedded files.

    An explicit stack rather than recursion, and a set of the objects already seen, so
    reference cycles and deep nesting cost nothing; more than `MAX_OBJECTS` containers raises
    `_Unreadable`, as a file built to make us work is not a policy document.
    """
    stack: list[object] = [reader.trailer, *objects]
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
            values = list(dict.values(node))  # dict's own: pypdf's would resolve references
        elif isinstance(node, ArrayObject):
            values = list(list.__iter__(node))
        else:
            continue
        walked += 1
        if walked > MAX_OBJECTS:
            raise _Unreadable("too many objects")
        if isinstance(node, DictionaryObject) and _is_active(node):
            return True
        for value in values:
            if isinstance(value, ArrayObject) and not any(
                isinstance(item, CONTAINERS) for item in list.__iter__(value)
            ):
                continue  # numbers and names only (a /Rect, a /MediaBox): not worth counting
            if isinstance(value, CONTAINERS):
                stack.append(value)
    return False


def _is_active(node: DictionaryObject) -> bool:
    if any(key in node for key in ACTIVE_KEYS) or _name(node, "/Type") in ACTIVE_TYPES:
        return True
    kind = _name(node, "/S")
    if kind in ACTIVE_ACTIONS or (kind == "/URI" and not _plain_link(node)):
        return True
    if _name(node, "/Subtype") in ACTIVE_ANNOTATIONS:
        return True
    if "/OpenAction" in node and _acts_on_opening(dict.get(node, "/OpenAction")):
        return True
    # Objects compressed in an object stream that the cross-references do not list are not
    # walked, but a viewer repairing the file may find them: scan their text as the file's.
    return (
        isinstance(node, StreamObject)
        and _name(node, "/Type") == "/ObjStm"
        and _raw_names_active(node.get_data())
    )


def _acts_on_opening(opening: object) -> bool:
    """Whether the document's /OpenAction does anything but show one of its own pages (a
    destination, or /GoTo actions): a web page or another file opened unasked is refused.

    :raises _Unreadable: for a chain of actions longer than `MAX_CHAIN`.
    """
    stack, seen = [opening], set()
    first = True
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        if len(seen) > MAX_CHAIN:
            raise _Unreadable("too many actions")
        if isinstance(node, ArrayObject):
            # At first the destination itself (a page and a view); after, a list of actions.
            if not first:
                stack.extend(list.__iter__(node))
        elif isinstance(node, DictionaryObject):
            if _name(node, "/S") != "/GoTo":
                return True
            stack.append(dict.get(node, "/Next"))
        first = False
    return False


def _plain_link(action: DictionaryObject) -> bool:
    """Whether a /URI action opens a web page or an e-mail, not a file or a program."""
    target = dict.get(action, "/URI")
    if isinstance(target, IndirectObject):
        target = target.get_object()
    if isinstance(target, bytes):
        target = target.decode("latin-1")
    if not isinstance(target, str):
        return False
    # Viewers, like browsers, ignore leading spaces and control characters.
    return target.lstrip("".join(map(chr, range(33)))).lower().startswith(LINK_SCHEMES)


def _name(node: DictionaryObject, key: str) -> str | None:
    value = dict.get(node, key)
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return str(value) if isinstance(value, NameObject) else None


def _raw_names_active(data: bytes) -> bool:
    """Whether the bytes outside streams hold a /JS or /JavaScript name.

    A second net under the walk: it also finds scripts in objects no cross-reference lists,
    which a viewer may still find when it rebuilds a damaged file's cross-reference table.
    Objects compressed in object streams are not seen here; the walk scans those streams.
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
