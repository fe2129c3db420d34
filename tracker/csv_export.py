"""CSV downloads of staff lists, safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Iterable

from flask import Response

from tracker.companies.properties import escaped_cell


def escaped(cell) -> str:
    """A cell a spreadsheet shows as text (see `properties.escaped_cell`); None as empty."""
    return escaped_cell("" if cell is None else str(cell))


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> Response:
    """A CSV attachment (UTF-8 with a byte order mark, so that Excel reads accents right)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([escaped(cell) for cell in row])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
