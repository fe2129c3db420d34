"""Column helpers shared by every feature's models."""

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator

# The largest id a 32-bit INTEGER column holds; larger ids overflow the database driver.
MAX_ID = 2**31 - 1


def utcnow() -> datetime:
    """Callable default: evaluated per row, never at import time."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use UTC-aware datetimes")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class LabelledEnum(enum.StrEnum):
    """A workflow state or choice stored by value, with a human label for display."""

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


def enum_column_type(enum_class: type[enum.Enum], name: str) -> Enum:
    """Store an enum as its value in a VARCHAR guarded by a named CHECK constraint."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def for_this_database(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's `include_object`: leave out of autogenerate the indexes declared for another
    database only (`Index.ddl_if(dialect=...)`; Alembic does not read that itself)."""
    condition = getattr(obj, "_ddl_if", None)
    if type_ != "index" or reflected or condition is None or condition.dialect is None:
        return True
    from tracker.extensions import db

    return db.engine.dialect.name == condition.dialect
