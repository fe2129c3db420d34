"""The supplier check's name index: built once per data version into a file every worker loads."""

import fcntl
import pickle

import pytest

from tests.directory.test_matching import one, signed
from tracker.directory.supplier_check import index_store, matching
from tracker.extensions import db


@pytest.fixture()
def builds(app, monkeypatch):
    """The versions built, each time; every test starts as a worker with no index in memory."""
    app.extensions.pop("supplier_check", None)
    built = []
    build = matching.build_index

    def counted(version):
        built.append(version)
        return build(version)

    monkeypatch.setattr(matching, "build_index", counted)
    yield built
    app.extensions.pop("supplier_check", None)


def another_worker(app) -> None:
    """What a second worker process has in memory: nothing yet."""
    app.extensions.pop("supplier_check", None)


def test_the_index_is_built_once_per_version_and_loaded_by_other_workers(app, builds):
    company = signed("Lotus Tours")
    version = index_store.index_version()
    assert one("Lotus Tours").company.id == company.id
    assert builds == [version]
    path = index_store.index_path(version)
    with open(path, "rb") as file:
        assert pickle.load(file).ids == [company.id]
    another_worker(app)
    assert one("Lotus Tours").company.id == company.id
    assert builds == [version]  # loaded, not built again
    company.display_name, company.legal_name = "Orchid Journeys", "Orchid Journeys Ltd"
    db.session.commit()
    assert one("Orchid Journeys").company.id == company.id
    newer = index_store.index_version()
    assert builds == [version, newer]
    assert index_store.index_path(newer).exists() and not path.exists()  # the old one goes


def test_while_another_process_builds_a_worker_keeps_its_previous_index(app, builds):
    company = signed("Lotus Tours")
    assert one("Lotus Tours").company.id == company.id
    signed("Orchid Journeys")
    with holding_the_lock():
        assert one("Lotus Tours").company.id == company.id  # the previous index, at once
        assert one("Orchid Journeys").company is None
    assert len(builds) == 1
    assert one("Orchid Journeys").company is not None  # the lock released: built now
    assert len(builds) == 2


def test_a_worker_without_an_index_waits_then_builds_its_own(app, builds, monkeypatch):
    monkeypatch.setattr(index_store, "BUILD_WAIT", 0.2)
    company = signed("Lotus Tours")
    with holding_the_lock():
        assert one("Lotus Tours").company.id == company.id
    assert builds == [index_store.index_version()]
    assert not index_store.index_path(builds[0]).exists()  # the lock holder writes it


def test_a_damaged_file_is_built_again(app, builds):
    company = signed("Lotus Tours")
    index_store.index_path(index_store.index_version()).write_bytes(b"not a pickle")
    assert one("Lotus Tours").company.id == company.id
    assert len(builds) == 1


class holding_the_lock:
    """The build lock held as another process would hold it (flock locks are per open file)."""

    def __enter__(self):
        path = index_store.index_path("x").with_name(f"{index_store._prefix()}.lock")
        self.file = open(path, "a")  # noqa: SIM115
        fcntl.flock(self.file, fcntl.LOCK_EX)

    def __exit__(self, *exc):
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()
