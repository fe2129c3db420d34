"""PDFs for the document tests, built with pypdf's writer; hostile ones included."""

import zlib
from io import BytesIO

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    StreamObject,
    TextStringObject,
)


def name(value: str) -> NameObject:
    return NameObject(value)


def as_bytes(writer: PdfWriter) -> bytes:
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def blank(pages: int = 1) -> PdfWriter:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    return writer


def pdf_bytes(pages: int = 1) -> bytes:
    return as_bytes(blank(pages))


def action(kind: str, **entries) -> DictionaryObject:
    """An action dictionary, e.g. action("/URI", URI=TextStringObject("https://…"))."""
    result = DictionaryObject({name("/Type"): name("/Action"), name("/S"): name(kind)})
    result.update({name(f"/{key}"): value for key, value in entries.items()})
    return result


def javascript() -> DictionaryObject:
    return action("/JavaScript", JS=TextStringObject("app.alert('hello');"))


def annotate(writer: PdfWriter, annotation: DictionaryObject) -> None:
    annotation.update(
        {
            name("/Type"): name("/Annot"),
            name("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 100, 40)]),
        }
    )
    page = writer.pages[0]
    page[name("/Annots")] = ArrayObject([writer._add_object(annotation)])


def hand_written(*objects: bytes) -> bytes:
    """A PDF of `objects` (numbered from 1; the first is the catalog) with a correct
    cross-reference table, for what pypdf's writer cannot write."""
    data = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
    return data + trailer % (len(objects) + 1, xref)


def packed(writer: PdfWriter, unlisted: frozenset[int] = frozenset()) -> bytes:
    """`writer`'s PDF saved the way Acrobat and Word save it: every object but the streams
    compressed together in one object stream, found through a cross-reference stream (pypdf
    writes neither). So no object's text shows in the file's bytes. Objects numbered in
    `unlisted` stay in the object stream but out of the cross-reference stream."""
    reader = PdfReader(BytesIO(as_bytes(writer)))
    plain, compressed = {}, {}
    for number in sorted(reader.xref[0]):
        obj = reader.get_object(number)
        buffer = BytesIO()
        obj.write_to_stream(buffer)
        (plain if isinstance(obj, StreamObject) else compressed)[number] = buffer.getvalue()
    return _with_object_stream(plain, compressed, reader.trailer.raw_get("/Root").idnum, unlisted)


def _with_object_stream(
    plain: dict[int, bytes], compressed: dict[int, bytes], root: int, unlisted: frozenset[int]
) -> bytes:
    stream_number = max([*plain, *compressed]) + 1
    xref_number = stream_number + 1
    header, body = b"", b""
    for number, text in compressed.items():
        header += b"%d %d " % (number, len(body))
        body += text + b"\n"
    packed_data = zlib.compress(header + body)
    data = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = {}
    for number, text in plain.items():
        offsets[number] = len(data)
        data += b"%d 0 obj\n%s\nendobj\n" % (number, text)
    offsets[stream_number] = len(data)
    data += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n" % (
        stream_number,
        len(compressed),
        len(header),
        len(packed_data),
    )
    data += b"stream\n" + packed_data + b"\nendstream\nendobj\n"
    offsets[xref_number] = len(data)
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]  # object 0: the head of the free list
    indexes = {number: index for index, number in enumerate(compressed)}
    for number in range(1, xref_number + 1):
        if number in offsets:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
        elif number in indexes and number not in unlisted:
            rows.append(b"\x02" + stream_number.to_bytes(4, "big") + indexes[number].to_bytes(2))
        else:
            rows.append(b"\x00\x00\x00\x00\x00\x00\x00")
    table = b"".join(rows)
    data += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Length %d >>\nstream\n" % (
        xref_number,
        xref_number + 1,
        root,
        len(table),
    )
    data += table + b"\nendstream\nendobj\n"
    return data + b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
