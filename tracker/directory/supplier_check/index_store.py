"""The supplier check's name index (`matching.Index`), built once per data version into a file
under the instance folder, and loaded from it by every worker.

Building the index at 100,000 companies takes a second or two of CPU; loading the file a tenth
of that. One process builds a version while holding a file lock; the others keep answering with
the index they have meanwhile, or, having none, wait for the file (at most BUILD_WAIT seconds,
then build one for themselves). The file is written to a temporary name and renamed, so a
reader never sees half of one. It is a cache: deleting the folder loses nothing.
"""

import fcntl
import hashlib
import os
import pickle
import sys
import tempfile
import threading
import time
from pathlib import Path

from flask import current_app

from tracker.data_versions import public_version
from tracker.directory.supplier_check import matching
from tracker.extensions import db

FORMAT = 2  # moves when `matching.Index` changes shape: files of another one are not read
BUILD_WAIT = 30.0  # seconds a process without an index waits for another's build
POLL = 0.05

_threads = threading.Lock()  # one load or build at a time in a process


def index_version() -> str:
    """The data version the index follows: the one place that says which. The public one: only
    what the public sees moves it, so an applicant's saves cannot make the workers rebuild."""
    return public_version()


def current_index() -> matching.Index:
    """The index for the data as it stands; the previous one while another thread or process
    builds it."""
    version = index_version()
    store = current_app.extensions.setdefault("supplier_check", {})
    index = store.get("index")
    if index is not None and index.version == version:
        return index
    if not _threads.acquire(blocking=index is None):
        return index  # another thread of this process is on it
    try:
        index = store.get("index")
        if index is None or index.version != version:
            index = store["index"] = _loaded_or_built(version, index)
    finally:
        _threads.release()
    return index


def folder() -> Path:
    path = Path(
        current_app.config["SUPPLIER_INDEX_FOLDER"]
        or os.path.join(current_app.instance_path, "supplier-index")
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def _prefix() -> str:
    """Names the database (two databases have versions of the same numbers), the file format
    and the Python that pickled it."""
    database = db.engine.url.render_as_string(hide_password=True)
    python = ".".join(map(str, sys.version_info[:2]))
    return hashlib.sha256(f"{database}|{FORMAT}|{python}".encode()).hexdigest()[:16]


def index_path(version: str) -> Path:
    return folder() / f"{_prefix()}-{version}.pickle"


def _loaded_or_built(version: str, previous: matching.Index | None) -> matching.Index:
    path = index_path(version)
    index = _load(path, version)
    if index is not None:
        return index
    with open(path.with_name(f"{_prefix()}.lock"), "a") as lock:
        if not _locked(lock, wait=previous is None):
            # Another process builds it: answer with the previous index meanwhile; with none,
            # one waited for long enough (that build may have failed) and builds for itself.
            return previous or matching.build_index(version)
        try:
            index = _load(path, version)  # built by the process waited for
            if index is None:
                index = matching.build_index(version)
                _write(path, index)
            return index
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _locked(lock, wait: bool) -> bool:
    deadline = time.monotonic() + (BUILD_WAIT if wait else 0)
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL)


def _load(path: Path, version: str) -> matching.Index | None:
    """The index in `path`, or None when there is none (or it cannot be read: it is rebuilt).
    The folder is the app's own, like its database: nothing else writes there."""
    try:
        with open(path, "rb") as file:
            index = pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or outdated file is only a cache miss
        current_app.logger.warning("supplier index %s unreadable: rebuilding it", path.name)
        return None
    return index if isinstance(index, matching.Index) and index.version == version else None


def _write(path: Path, index: matching.Index) -> None:
    """Atomically (a temporary file renamed), then the older versions' files removed. A failed
    write (a full disk) only costs the other workers a build of their own."""
    temporary = None
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as file:
            temporary = file.name
            pickle.dump(index, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError as error:
        current_app.logger.warning("supplier index not written: %s", error)
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        return
    prefix, version = path.stem.split("-", 1)
    for other in path.parent.glob(f"{prefix}-*.pickle"):
        if _older(other.stem.split("-", 1)[1], version):
            other.unlink(missing_ok=True)


def _older(other: str, version: str) -> bool:
    """Counters compare as numbers (a late build of an older version keeps the newer file);
    other kinds of version are all replaced by the last written."""
    if other.isdigit() and version.isdigit():
        return int(other) < int(version)
    return other != version
