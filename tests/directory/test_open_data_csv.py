"""/signatories.csv is written once per public data version and sent as a file."""

import fcntl
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from tests.factories import CompanyFactory, owner_of
from tests.reports.helpers import member
from tracker import csv_export
from tracker.companies.enums import Stage
from tracker.directory.open_data import views
from tracker.extensions import db


@pytest.fixture
def builds(monkeypatch) -> list[str]:
    """Every CSV written, by the filters' search words (so a test can count them)."""
    written: list[str] = []
    write = views.write_csv

    def counted(out, filters, on, *variant):
        written.append(filters.q)
        write(out, filters, on, *variant)

    monkeypatch.setattr(views, "write_csv", counted)
    return written


@pytest.fixture
def members():
    made = [
        member(joined=date(2025, 3, 1), display_name=name, countries=("TH",))
        for name in ("Lotus Tours", "Andes Air", "Hotel São Paulo")
    ]
    return [company for company, _owner in made]


def version_folders(app) -> list[str]:
    folder = Path(app.config["EXPORT_FOLDER"])
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_two_downloads_write_the_file_once(client, members, builds):
    first = client.get("/signatories.csv")
    second = client.get("/signatories.csv")
    assert (first.status_code, second.status_code) == (200, 200)
    assert builds == [""]
    assert first.get_data() == second.get_data()
    lines = first.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == [
        "Andes Air",
        "Hotel São Paulo",
        "Lotus Tours",
    ]
    assert first.headers["Content-Disposition"] == 'attachment; filename="signatories.csv"'
    assert first.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert first.headers["Cache-Control"] == "public, max-age=300"


def test_one_search_typed_two_ways_is_one_file(client, members, builds):
    one = client.get("/signatories.csv?q=Lotus+tours")
    other = client.get("/signatories.csv?q=TOURS++lotus&page=3")  # pages mean nothing here
    assert builds == ["Lotus tours"]
    assert one.get_data() == other.get_data()
    assert "Lotus Tours" in one.get_data(as_text=True)
    assert "Andes Air" not in one.get_data(as_text=True)


def test_a_range_is_answered_206_with_those_bytes(client, members):
    whole = client.get("/signatories.csv").get_data()
    part = client.get("/signatories.csv", headers={"Range": "bytes=10-29"})
    assert part.status_code == 206
    assert part.get_data() == whole[10:30]
    assert part.headers["Content-Range"] == f"bytes 10-29/{len(whole)}"


def test_a_known_etag_or_date_is_answered_304(client, members, builds):
    first = client.get("/signatories.csv?country=TH")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    url = "/signatories.csv?country=TH"
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert len(builds) == 1


def test_a_public_change_writes_a_new_file_and_removes_the_old(app, client, members, builds):
    first = client.get("/signatories.csv")
    [before] = version_folders(app)
    members[0].display_name = "Lotus Journeys"
    db.session.commit()
    second = client.get("/signatories.csv")
    assert "Lotus Journeys" in second.get_data(as_text=True)
    assert second.headers["ETag"] != first.headers["ETag"]
    stale = {"If-None-Match": first.headers["ETag"]}
    assert client.get("/signatories.csv", headers=stale).status_code == 200
    assert builds == ["", ""]
    [after] = version_folders(app)
    assert after != before  # the old version's files are gone


def test_a_change_nobody_sees_keeps_the_file(client, members, builds):
    client.get("/signatories.csv")
    members[0].contact_name = "Someone Else"
    CompanyFactory(stage=Stage.SUBMITTED, display_name="Applicant Tours", countries=("TH",))
    db.session.commit()
    assert "Applicant Tours" not in client.get("/signatories.csv").get_data(as_text=True)
    assert builds == [""]


def test_invalid_filters_write_nothing(app, client, builds):
    assert client.get("/signatories.csv?country=ZZ").status_code == 400
    assert builds == []
    assert version_folders(app) == []


# The store itself -----------------------------------------------------------------------------


def test_processes_asking_at_once_write_the_file_once(tmp_path):
    written = []

    def slow(out):
        written.append(threading.get_ident())
        time.sleep(0.3)
        out.write("a,b\n")

    def ask():
        paths.append(csv_export.kept_file(tmp_path, "2026-01-01-7", "all-name", slow, True))

    paths: list[Path] = []
    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(written) == 1
    assert {path.read_text() for path in paths} == {"a,b\n"}
    assert not list(tmp_path.glob("*/*.tmp"))


def test_a_failed_write_leaves_no_file(tmp_path):
    def broken(out):
        out.write("half a file")
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError, match="database gone"):
        csv_export.kept_file(tmp_path, "2026-01-01-7", "all-name", broken, True)
    assert [p.name for p in (tmp_path / "2026-01-01-7").iterdir()] == ["all-name.lock"]


def test_narrowed_files_make_room_but_whole_lists_stay(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_export, "KEPT_PER_VERSION", 2)
    version = "2026-01-01-7"
    csv_export.kept_file(tmp_path, version, "all-name", lambda out: out.write("x"), True)
    for name in ("one", "two", "three"):
        csv_export.kept_file(tmp_path, version, name, lambda out: out.write("x"), False)
        time.sleep(0.01)  # distinct times: the oldest goes first
    kept = sorted(path.stem for path in (tmp_path / version).glob("*.csv"))
    assert kept == ["all-name", "three", "two"]


def test_older_versions_go_newer_ones_stay(tmp_path):
    for version in ("2026-01-01-9", "2026-01-02-3", "2026-01-02-10"):
        (tmp_path / version).mkdir()
    csv_export.kept_file(tmp_path, "2026-01-02-4", "all-name", lambda out: out.write("x"), True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-01-02-10", "2026-01-02-4"]


def test_an_owner_of_a_member_downloads_the_same_file(app, client, auth, members, builds):
    """Signed-in or not, it is the public's file."""
    client.get("/signatories.csv")
    auth.login(owner_of(members[0]).email)
    assert client.get("/signatories.csv").status_code == 200
    assert builds == [""]


def test_while_a_file_is_written_others_get_the_version_before(tmp_path):
    old = csv_export.kept_file(tmp_path, "2026-01-01-7", "all-name", lambda o: o.write("old"), True)
    (tmp_path / "2026-01-01-8").mkdir()
    with open(tmp_path / "2026-01-01-8" / "all-name.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process is writing version 8
        got: list[Path] = []
        asker = threading.Thread(
            target=lambda: got.append(
                csv_export.kept_file(tmp_path, "2026-01-01-8", "all-name", pytest.fail, True)
            ),
            daemon=True,
        )
        asker.start()
        asker.join(timeout=5)  # not held until the write ends
    assert got == [old]
    assert old.read_text() == "old"
