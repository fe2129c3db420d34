"""Policy documents: only plain, readable PDFs pass; stored files stay inside their folder."""

import hashlib
import logging
import os
import signal
import stat
import string
from contextlib import contextmanager

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    StreamObject,
    TextStringObject,
)

from tests.reports.pdfs import (
    action,
    annotate,
    as_bytes,
    blank,
    hand_written,
    javascript,
    name,
)
from tracker.reports import pdf_check
from tracker.reports.documents import CheckedPdf, DocumentError, check_pdf, delete, path_of, store

MB = 1024 * 1024
LIMIT = 5 * MB
ACTIVE = (
    "This PDF contains scripts or embedded files, which we do not accept. Save it again as a "
    "plain PDF (for example with “Print to PDF”) and upload that."
)
DAMAGED = "This PDF is damaged or cannot be read; save it again as PDF and upload that."
NOT_PDF = "This file is not a PDF. Choose a PDF file and upload that."


def refusal(data: bytes, max_bytes: int = LIMIT) -> str:
    with pytest.raises(DocumentError, match=r"^[A-Z].*\.$") as caught:
        check_pdf(data, max_bytes)
    return caught.value.message


@pytest.fixture(params=["both checks", "walk only"])
def checks(request, monkeypatch):
    """Active content must be found by walking the objects even without the raw byte scan,
    which would otherwise find any /JS first."""
    if request.param == "walk only":
        monkeypatch.setattr(pdf_check, "_raw_names_active", lambda data: False)
    return request.param


@contextmanager
def deadline(seconds: int):
    """Fail instead of hanging the test run."""

    def expired(signum, frame):
        raise AssertionError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# Plain PDFs


@pytest.mark.parametrize("pages", [1, 3])
def test_a_plain_pdf_passes_with_its_pages_and_digest(pages):
    data = as_bytes(blank(pages))
    assert check_pdf(data, LIMIT) == CheckedPdf(
        size=len(data), pages=pages, sha256=hashlib.sha256(data).hexdigest()
    )


def test_an_ordinary_link_and_a_font_named_js_in_a_content_stream_pass():
    """Web links are fine, and "/JS" inside stream data (here a font name) is not a script."""
    writer = blank()
    annotate(writer, DictionaryObject({name("/Subtype"): name("/Link")}))
    annotation = writer.pages[0]["/Annots"][0].get_object()
    annotation[name("/A")] = action("/URI", URI=TextStringObject("https://www.ecpat.org/"))
    contents = StreamObject()
    contents.set_data(b"BT /JS 12 Tf 72 720 Td (Policy) Tj ET")
    writer.pages[0][name("/Contents")] = writer._add_object(contents)
    data = as_bytes(writer)
    assert b"/JS 12 Tf" in data
    assert check_pdf(data, LIMIT).pages == 1


# Not PDFs, or not readable


def test_an_empty_file_is_refused():
    assert refusal(b"") == "The file is empty."


def test_a_file_over_the_limit_is_refused_naming_the_limit_in_mb():
    data = as_bytes(blank())
    assert refusal(data + b"\0" * MB, max_bytes=MB) == "The file is larger than 1 MB."
    assert refusal(b"%PDF-" + b"0" * (5 * MB)) == "The file is larger than 5 MB."
    assert check_pdf(data, max_bytes=len(data)).size == len(data)  # the limit itself passes


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200,  # a Windows program
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\0" * 200,
        b"PK\x03\x04\x14\x00\x06\x00" + b"\0" * 200,  # a Word file (zip)
        b"Our policy on child protection.\n%PDF-1.7\n",  # a text file, even one quoting a header
    ],
    ids=["executable", "png", "docx", "text"],
)
def test_files_that_are_not_pdfs_are_refused(data):
    assert refusal(data) == NOT_PDF


def test_a_pdf_with_a_blank_line_first_is_refused_as_not_a_pdf():
    assert refusal(b"\n" + as_bytes(blank())) == NOT_PDF


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(range(256)) * 40,
        b"%PDF-1.7\n%%EOF\n",
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n",  # cut off
    ],
    ids=["garbage", "header-only", "truncated"],
)
def test_a_damaged_pdf_is_refused(data):
    assert refusal(data) == DAMAGED


def test_reading_a_damaged_pdf_logs_nothing_and_leaves_logging_as_it_was(caplog):
    """pypdf logs each repair it attempts; a bad upload is no news for the server's log."""
    caplog.set_level(logging.DEBUG)
    pypdf_logger = logging.getLogger("pypdf")
    before = pypdf_logger.level
    pypdf_logger.setLevel(logging.INFO)
    try:
        assert refusal(b"%PDF-1.7\n" + bytes(range(256)) * 40) == DAMAGED
        assert [record.name for record in caplog.records if record.name.startswith("pypdf")] == []
        assert pypdf_logger.level == logging.INFO
    finally:
        pypdf_logger.setLevel(before)


def test_a_pdf_without_pages_is_refused_as_damaged():
    assert refusal(as_bytes(PdfWriter())) == DAMAGED


def test_an_encrypted_pdf_is_refused():
    writer = blank()
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    assert refusal(as_bytes(writer)) == (
        "This PDF is protected with a password or encrypted. Save it again without protection "
        "and upload that."
    )


# Scripts and embedded files


def test_document_level_javascript_is_refused(checks):
    """Scripts in the catalog's /Names /JavaScript tree run when the document opens (what
    pypdf's add_js, deprecated, wrote)."""
    writer = blank()
    scripts = ArrayObject([TextStringObject("hello"), writer._add_object(javascript())])
    tree = DictionaryObject({name("/Names"): scripts})
    names = DictionaryObject({name("/JavaScript"): writer._add_object(tree)})
    writer.root_object[name("/Names")] = writer._add_object(names)
    assert refusal(as_bytes(writer)) == ACTIVE


def test_an_open_action_with_javascript_is_refused(checks):
    writer = blank()
    writer.root_object[name("/OpenAction")] = writer._add_object(javascript())
    assert refusal(as_bytes(writer)) == ACTIVE


def test_a_link_that_launches_a_program_is_refused():
    writer = blank()
    launch = action("/Launch", F=TextStringObject("C:\\Windows\\System32\\calc.exe"))
    annotate(writer, DictionaryObject({name("/Subtype"): name("/Link"), name("/A"): launch}))
    data = as_bytes(writer)
    assert b"/JS" not in data  # only the walk can find it
    assert refusal(data) == ACTIVE


def test_an_action_hidden_at_the_end_of_a_next_chain_is_refused():
    writer = blank()
    second = action("/SubmitForm", F=TextStringObject("https://collector.example/"))
    first = action("/URI", URI=TextStringObject("https://www.ecpat.org/"))
    first[name("/Next")] = ArrayObject([writer._add_object(second)])
    annotate(writer, DictionaryObject({name("/Subtype"): name("/Link"), name("/A"): first}))
    assert refusal(as_bytes(writer)) == ACTIVE


def test_a_bookmark_running_javascript_is_refused(checks):
    writer = blank()
    outline = writer.add_outline_item("Policy", 0)
    outline.get_object()[name("/A")] = writer._add_object(javascript())
    assert refusal(as_bytes(writer)) == ACTIVE


def visit_website() -> DictionaryObject:
    return action("/URI", URI=TextStringObject("https://tracker.example/"))


# Additional actions run without a click (opening a page, moving the mouse…): refused whatever
# they do, even just opening a web page.
ADDITIONAL = pytest.mark.parametrize("run", [javascript, visit_website], ids=["js", "uri"])


@ADDITIONAL
def test_a_page_with_additional_actions_is_refused(checks, run):
    writer = blank()
    writer.pages[0][name("/AA")] = DictionaryObject({name("/O"): run()})
    assert refusal(as_bytes(writer)) == ACTIVE


@ADDITIONAL
def test_an_annotation_with_additional_actions_is_refused(checks, run):
    writer = blank()
    additional = DictionaryObject({name("/E"): run()})
    annotate(writer, DictionaryObject({name("/Subtype"): name("/Widget"), name("/AA"): additional}))
    assert refusal(as_bytes(writer)) == ACTIVE


@ADDITIONAL
def test_a_document_with_additional_actions_is_refused(checks, run):
    writer = blank()
    writer.root_object[name("/AA")] = DictionaryObject({name("/WC"): run()})
    assert refusal(as_bytes(writer)) == ACTIVE


def test_an_attached_file_is_refused():
    writer = blank()
    writer.add_attachment("invoice.exe", b"MZ\x90\x00 not really a program")
    assert refusal(as_bytes(writer)) == ACTIVE


@pytest.mark.parametrize("embedded", [True, False], ids=["embedded", "by-name"])
def test_a_file_attachment_annotation_is_refused(embedded):
    writer = blank()
    spec = DictionaryObject(
        {name("/Type"): name("/Filespec"), name("/F"): TextStringObject("tool.exe")}
    )
    if embedded:
        stream = StreamObject()
        stream.set_data(b"MZ\x90\x00")
        stream[name("/Type")] = name("/EmbeddedFile")
        spec[name("/EF")] = DictionaryObject({name("/F"): writer._add_object(stream)})
    annotate(
        writer,
        DictionaryObject({name("/Subtype"): name("/FileAttachment"), name("/FS"): spec}),
    )
    assert refusal(as_bytes(writer)) == ACTIVE


def test_a_script_no_object_refers_to_is_found_in_the_raw_bytes(monkeypatch):
    """A viewer rebuilding a damaged file's cross-references may still find it."""
    writer = blank()
    writer._add_object(javascript())  # written to the file, reachable from nowhere
    data = as_bytes(writer)
    assert refusal(data) == ACTIVE
    assert pdf_check._raw_names_active(data)
    # The walk reads every object the cross-references list, reachable or not: it finds it too.
    monkeypatch.setattr(pdf_check, "_raw_names_active", lambda data: False)
    assert refusal(data) == ACTIVE


def test_a_script_name_spelt_with_escapes_is_found_in_the_raw_bytes():
    orphan = b"%PDF-1.7\n9 0 obj\n<< /S /Java#53cript /J#53 (app.alert(1)) >>\nendobj\n"
    assert pdf_check._raw_names_active(orphan)
    assert not pdf_check._raw_names_active(b"%PDF-1.7\n<< /JSON (x) /Jump 1 >>\n")


# Files built to make the check work hard


def test_a_reference_cycle_does_not_hang():
    writer = blank()
    first = action("/URI", URI=TextStringObject("https://www.ecpat.org/"))
    reference = writer._add_object(first)
    first[name("/Next")] = reference  # the action follows itself
    loop = DictionaryObject()
    loop_reference = writer._add_object(loop)
    loop[name("/Self")] = ArrayObject([loop_reference, reference])
    writer.root_object[name("/Loop")] = loop_reference
    annotate(writer, DictionaryObject({name("/Subtype"): name("/Link"), name("/A"): reference}))
    with deadline(20):
        assert check_pdf(as_bytes(writer), LIMIT).pages == 1


def test_a_reference_cycle_still_finds_a_script_behind_it(checks):
    writer = blank()
    first = action("/URI", URI=TextStringObject("https://www.ecpat.org/"))
    reference = writer._add_object(first)
    first[name("/Next")] = ArrayObject([reference, writer._add_object(javascript())])
    annotate(writer, DictionaryObject({name("/Subtype"): name("/Link"), name("/A"): reference}))
    with deadline(20):
        assert refusal(as_bytes(writer)) == ACTIVE


def test_too_many_objects_is_refused_as_unreadable(monkeypatch):
    monkeypatch.setattr(pdf_check, "MAX_OBJECTS", 500)
    writer = blank()
    writer.root_object[name("/Many")] = ArrayObject(
        [DictionaryObject({name("/N"): FloatObject(i)}) for i in range(600)]
    )
    data = as_bytes(writer)
    assert refusal(data) == DAMAGED
    monkeypatch.setattr(pdf_check, "MAX_OBJECTS", 700)
    assert check_pdf(data, LIMIT).pages == 1


@pytest.mark.parametrize(("depth", "readable"), [(10, True), (5000, False)])
def test_deeply_nested_arrays_are_refused_as_unreadable(depth, readable):
    """pypdf's parser recurses into nested arrays: a file built to exhaust it must be refused,
    not crash."""
    data = hand_written(
        b"<< /Type /Catalog /Pages 2 0 R /Deep 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"[" * depth + b"]" * depth,
    )
    with deadline(20):
        if readable:
            assert check_pdf(data, LIMIT).pages == 1
        else:
            assert refusal(data) == DAMAGED


# Storage


def test_a_stored_file_round_trips_and_only_its_owner_can_read_it(tmp_path):
    data = as_bytes(blank())
    stored = store(data, tmp_path)
    path = path_of(stored, tmp_path)
    assert path == tmp_path / stored[:2] / stored
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.listdir(path.parent) == [stored]  # no temporary file left behind
    delete(stored, tmp_path)
    assert not path.exists()
    delete(stored, tmp_path)  # already gone: fine


def test_stored_names_are_random_and_safe(tmp_path):
    names = {store(b"%PDF-same", tmp_path) for _ in range(5)}
    assert len(names) == 5
    for stored in names:
        assert len(stored) == 32
        assert set(stored) <= set(string.ascii_letters + string.digits + "-_")


@pytest.mark.parametrize(
    "bad",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "",
        "a/../b",
        "A" * 31 + "\0",
        "A" * 32 + "\0",
        "A" * 31 + "/",
        "A" * 31 + ".",
        "A" * 33,
        "A" * 32 + "\n",
        "..",
    ],
)
def test_path_of_refuses_anything_but_a_stored_name(tmp_path, bad):
    with pytest.raises(ValueError, match="not a stored document name"):
        path_of(bad, tmp_path)
    with pytest.raises(ValueError, match="not a stored document name"):
        delete(bad, tmp_path)


def test_path_of_accepts_a_stored_name_with_dashes_and_underscores(tmp_path):
    good = "-_" + "a" * 30
    assert path_of(good, tmp_path) == tmp_path / "-_" / good
