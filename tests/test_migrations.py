"""The migrations build exactly the schema the models declare, and run down and up again."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

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
