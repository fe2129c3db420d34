"""CSV downloads, safe to open in a spreadsheet, and CSV files kept until the data changes."""

import csv
import fcntl
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from flask import Response

# A spreadsheet runs a cell that starts with one of these as a formula: exported cells get a
# leading apostrophe (which spreadsheets hide), and an import drops it again
# (`companies.properties.unescaped_cell`).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escaped_cell(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def escaped(cell) -> str:
    """A cell a spreadsheet shows as text (see `escaped_cell`); None as empty."""
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


# Files kept per data version -------------------------------------------------------------------
#
# A download of the whole directory takes a worker seconds to write; the same file serves every
# download until the data changes. Each is written once per version (one process writes it
# under a lock), into a temporary file renamed into place, so a reader sees a whole file or none;
# the versions before are removed once a newer one is written. Meanwhile, others asking for it
# get the version before when there is one (a minute late, as a proxy's copy may be) rather
# than a worker held for the whole write. An open file outlives its removal, so a download
# under way completes.

KEPT_PER_VERSION = 100  # narrowed files beyond these go, oldest first; whole lists always stay


def kept_file(
    folder: Path, version: str, name: str, write: Callable[[IO[str]], None], whole: bool
) -> Path:
    """The file `name` of `version` under `folder`, written by `write` when not there yet.

    `whole` marks a file of every member (in one order): never removed to make room.
    :raises OSError: when the folder cannot be written.
    """
    directory = folder / version
    path = directory / f"{name}.csv"
    if path.exists():
        return path
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / f"{name}.lock", "a") as lock:
        if not _try_lock(lock):  # being written: the version before, else wait for this one
            previous = _previous(folder, version, path.name)
            if previous is not None:
                return previous
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not path.exists():  # another process may have written it while this one waited
                _write_atomically(path, write)
                _make_room(directory, path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    _remove_versions_before(folder, version)
    return path


def _try_lock(lock: IO[str]) -> bool:
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _previous(folder: Path, version: str, filename: str) -> Path | None:
    """The same file of the newest version before `version`, if it is still there."""
    current = version_order(version)
    older = [entry for entry in folder.iterdir() if version_order(entry.name) < current]
    for entry in sorted(older, key=lambda entry: version_order(entry.name), reverse=True):
        if (entry / filename).exists():
            return entry / filename
    return None


def _write_atomically(path: Path, write: Callable[[IO[str]], None]) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _make_room(directory: Path, keep: Path) -> None:
    narrowed = [p for p in directory.glob("*.csv") if p != keep and not p.stem.startswith("all-")]
    if len(narrowed) < KEPT_PER_VERSION:
        return
    narrowed.sort(key=_written_at)
    for old in narrowed[: len(narrowed) - KEPT_PER_VERSION + 1]:
        old.unlink(missing_ok=True)


def _written_at(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # another process made room first
        return 0.0


def version_order(version: str) -> tuple:
    """Versions are named '<day>-<counter>': compared by day, then by counter."""
    day, _, counter = version.rpartition("-")
    return (day, int(counter)) if counter.isdigit() else (day, -1)


def _remove_versions_before(folder: Path, version: str) -> None:
    current = version_order(version)
    for entry in folder.iterdir():
        if entry.is_dir() and version_order(entry.name) < current:
            shutil.rmtree(entry, ignore_errors=True)
