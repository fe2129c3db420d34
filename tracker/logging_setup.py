"""Logging set up once when the app starts: library records that are no news for us."""

import logging
import pkgutil

import pypdf


def configure() -> None:
    """Quiet pypdf; calling it again (one app per test run, or more) changes nothing."""
    quiet_pypdf()


def quiet_pypdf() -> None:
    """Keep pypdf's records out of our logs: it logs every oddity it repairs while reading a
    file ("EOF marker not found", "Ignoring wrong pointing object"…), as warnings and errors.
    We read PDFs only to check uploads (tracker/reports/pdf_check.py), where a damaged file is
    the uploader's to fix and the refusal tells them so: not news for the server's log.

    Set once at start rather than raised around each read, which needed a lock and a count of
    readers so that overlapping threads restored the right level. pypdf logs under each of its
    modules' names (pypdf._reader…), so the level goes on every one of them as well as on
    "pypdf": a record is dropped by the level of the logger that makes it, so no handler (a
    test's capture included) sees it, and lowering "pypdf" alone (to debug one thing) does not
    bring every repair message back. Not `propagate = False`: pytest attaches its capture
    handler to loggers that do not propagate. CRITICAL, as pypdf never logs at that level.
    """
    modules = pkgutil.walk_packages(pypdf.__path__, prefix="pypdf.")
    for name in ["pypdf", *(module.name for module in modules)]:
        logging.getLogger(name).setLevel(logging.CRITICAL)
