"""The migrations build exactly the schema the models declare, and run down and up again."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from tracker.extensions import db
from tracker.models_base import for_this_database


def schema_differences() -> list:
    with db.engine.connect() as connection:
        options = {"compare_type": True, "include_object": for_this_database}
        context = MigrationContext.configure(connection, opts=options)
        return compare_metadata(context, db.metadata)


def test_migrations_match_the_models():
    assert schema_differences() == []


def test_downgrade_to_base_and_upgrade_again():
    db.session.commit()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert schema_differences() == []


def test_top_member_since_becomes_an_award_of_the_last_ended_year():
    """Issue 15 item 10: members recognised under the old rule keep their title, as Top
    Members of the last ended reporting year; downgrading gives the latest list back."""
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from sqlalchemy import text

    from tests.reports.helpers import member
    from tracker.reports.models import TopMemberAward
    from tracker.reports.services import today

    named, _owner = member()
    other, _owner = member()
    never, _owner = member()
    when = datetime(2026, 6, 1, 12, tzinfo=UTC)
    db.session.add(TopMemberAward(company_id=named.id, year=2025, named_at=when))
    db.session.commit()
    # Read before the downgrade: later migrations drop columns the models name.
    named, other, never = (SimpleNamespace(id=company.id) for company in (named, other, never))
    db.session.close()
    downgrade(revision="e4a9c2d7b815")  # the revision before the awards
    with db.engine.begin() as connection:
        recognised = connection.execute(
            text("SELECT company_id FROM memberships WHERE top_member_since IS NOT NULL")
        ).scalars()
        assert list(recognised) == [named.id]
        connection.execute(
            text("UPDATE memberships SET top_member_since = :at WHERE company_id = :id"),
            {"at": "2026-03-01 10:00:00.000000", "id": other.id},
        )
    upgrade()
    assert schema_differences() == []
    awards = db.session.execute(
        select(TopMemberAward.company_id, TopMemberAward.year).order_by(TopMemberAward.company_id)
    ).all()
    last_ended = today().year - 1  # reporting years run January to December in tests
    assert awards == [(named.id, last_ended), (other.id, last_ended)]
    assert never.id not in {company_id for company_id, _year in awards}


def test_training_rows_from_before_staff_groups_count_their_trained_as_current():
    """Issue 15 item 6: a row typed before staff groups existed keeps its totals, and those it
    trained that year are its "currently trained" (so published coverage does not move)."""
    from sqlalchemy import text

    from tests.reports.helpers import member
    from tracker.reports.models import Report, ReportState, TrainingRow

    company, _owner = member()
    report = Report(company=company, year=2025, state=ReportState.ACCEPTED)
    report.training = [TrainingRow(country_code="FR", employees=40, trained=10)]
    db.session.add(report)
    db.session.commit()
    db.session.close()
    downgrade(revision="c4d9e2f7a1b3")  # the revision before staff groups
    upgrade()
    assert schema_differences() == []
    with db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT employees, trained, current FROM report_training")
        ).all()
        groups = connection.execute(text("SELECT count(*) FROM report_training_groups")).scalar()
    assert [tuple(row) for row in rows] == [(40, 10, 10)]
    assert groups == 0


def test_search_names_with_a_typographic_apostrophe_are_folded_again():
    """Migration c4b8e2f1a7d3: names stored folded the old way ("O’Neill" -> "oneill") are
    folded like a typed "O'Neill"; a legal name the member does not list stays out."""
    from sqlalchemy import text

    from tests.factories import CompanyFactory

    typographic = CompanyFactory(display_name="O\u2019Neill Tours", legal_name="Rock\u2019s Ltd")
    unlisted = CompanyFactory(
        display_name="Plain Tours", legal_name="D\u2019Arcy Ltd", publish_legal_name=False
    )
    plain = CompanyFactory(display_name="Lotus Tours", legal_name="Lotus Ltd")
    db.session.commit()
    ids = typographic.id, unlisted.id, plain.id
    db.session.close()
    downgrade(revision="f3a8c6e2d9b1")
    names = text("SELECT search_name FROM companies WHERE id = :id")
    with db.engine.begin() as connection:
        old = [connection.execute(names, {"id": id_}).scalar() for id_ in ids]
        connection.execute(
            text("UPDATE companies SET search_name = 'stale' WHERE id = :id"), {"id": ids[2]}
        )
    assert old == ["oneill tours | rocks ltd", "plain tours | ", "lotus tours | lotus ltd"]
    upgrade()
    with db.engine.connect() as connection:
        new = [connection.execute(names, {"id": id_}).scalar() for id_ in ids]
    # Only names holding a typographic apostrophe are folded again.
    assert new == ["o neill tours | rock s ltd", "plain tours | ", "stale"]
