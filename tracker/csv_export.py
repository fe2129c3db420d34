"""CSV downloads, safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Iterable, Iterator

from flask import Response

from tracker.companies.properties import escaped_cell


def escaped(cell) -> str:
    """A cell a spreadsheet shows as text (see `properties.escaped_cell`); None as empty."""
    return escaped_cell("" if cell is None else str(cell))


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text line by line, for a response streamed as the rows are read: UTF-8 with a
    byte order mark (so that Excel reads accents right), every cell safe in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow(header)
    yield out.getvalue()
    for row in rows:
        out.seek(0)
        out.truncate()
        writer.writerow([escaped(cell) for cell in row])
        yield out.getvalue()


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> Response:
    """A CSV attachment, made whole (for lists small enough to hold)."""
    return Response(
        "".join(csv_lines(header, rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
