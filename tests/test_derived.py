"""The registry of derived columns: what each keeper watches, and that it runs only then."""

from dataclasses import replace

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.factories import CompanyFactory, UserFactory
from tracker import derived
from tracker.companies.enums import Stage
from tracker.extensions import db


def test_the_registry_lists_every_keeper_in_order_with_what_it_watches(app):
    declared = [(keeper.when, dict(keeper.watches)) for keeper in derived.keepers()]
    assert declared == [
        ("before_flush", {"Company": None, "Membership": None}),
        ("before_flush", {"Membership": {"joined_at"}, "ReportExtension": None}),
        (
            "after_flush",
            {
                "Company": {
                    *("legal_name", "display_name", "type", "hq_country", "website", "slug"),
                    *("search_name", "stored_stage", "operations", "publish_properties"),
                    *("publish_legal_name", "representative", "representative_id"),
                },
                "Operation": {"city", "country_code", "property_name", "reviewed"},
                "Membership": {
                    *("number", "joined_at", "standing", "standing_since"),
                    "first_unreported_year",
                },
                "Report": {"state"},
                "ReportExtension": {"company_id", "due_on", "year"},
                "TopMemberAward": {"withdrawn_at", "year"},
                "Signature": {"criteria_version"},
                "Invoice": {"kind", "state", "year"},
                "Representative": {"countries", "email", "name", "phone", "website"},
                "RepresentativeCountry": {"country_code"},
            },
        ),
        ("after_flush", {"Invoice": None, "Plan": None}),
        ("after_flush", {"Report": {"state"}}),
    ]
    assert app.extensions["derived"] == derived.keepers()


@pytest.fixture()
def calls(monkeypatch) -> list[str]:
    """The real keepers, each noting its runs in a list."""
    ran: list[str] = []

    def recording(keeper):
        def keep(session):
            ran.append(keeper.name)
            keeper.keep(session)

        return replace(keeper, keep=keep)

    monkeypatch.setattr(derived, "_keepers", tuple(map(recording, derived.keepers())))
    return ran


def test_a_flush_of_an_unwatched_model_runs_no_keeper(calls):
    user = UserFactory()
    db.session.flush()
    user.name = "Someone Else"
    db.session.flush()
    assert calls == []


def test_a_flush_of_a_watched_field_runs_its_keepers(calls):
    company = CompanyFactory(stage=Stage.ACTIVE)
    db.session.flush()
    calls.clear()
    company.contact_name = "Bea"  # staff see it, the public does not
    db.session.flush()
    assert calls == [derived.keepers()[0].name]


def test_the_listeners_are_attached_once_however_many_apps(app, calls, monkeypatch):
    monkeypatch.setitem(app.extensions, "derived", app.extensions["derived"])
    for _ in range(3):
        derived.init_app(app, derived.keepers())
    assert event.contains(Session, "before_flush", derived._before_flush)
    assert event.contains(Session, "after_flush", derived._after_flush)
    company = CompanyFactory(stage=Stage.SUBMITTED)
    db.session.flush()
    calls.clear()
    company.contact_name = "Bea"
    db.session.flush()
    assert calls == [derived.keepers()[0].name]  # once, not once per app


def test_a_watched_field_counts_as_changed_only_when_its_value_changed(calls):
    company = CompanyFactory(stage=Stage.ACTIVE, display_name="Lotus Tours")
    assert company.website == "https://example.com"  # loaded: the factory committed
    watched = frozenset({"display_name", "website"})
    assert not derived.has_changed(company, watched)  # nothing set since the flush
    company.contact_name = "Bea"  # not watched
    assert not derived.has_changed(company, watched)
    company.display_name = "Lotus Tours"  # set, to the value it had
    assert not derived.has_changed(company, watched)
    company.website = "https://lotus.example"  # a new value
    assert derived.has_changed(company, watched)
    db.session.flush()
    assert not derived.has_changed(company, watched)


def test_history_is_read_without_loading_a_collection(calls):
    company = CompanyFactory(stage=Stage.ACTIVE)
    db.session.commit()
    company.contact_name = "Bea"  # the row is loaded again; its operations are not
    assert not derived.has_changed(company, frozenset({"operations"}))
    assert "operations" not in company.__dict__


def test_a_flush_lists_each_row_once_marking_whole_rows(app):
    kept, other = CompanyFactory(stage=Stage.ACTIVE), CompanyFactory(stage=Stage.ACTIVE)
    removed = other.operations[0]  # loaded first: a lazy load would flush what comes below
    db.session.delete(removed)
    kept.contact_name = "Bea"  # changed
    added = UserFactory.build()
    db.session.add(added)
    rows = {id(obj): whole for obj, whole in derived.flushed(db.session)}
    assert rows[id(kept)] is False
    assert rows[id(added)] is True
    assert rows[id(removed)] is True
    assert len(rows) == len(db.session.new) + len(db.session.dirty) + len(db.session.deleted)
