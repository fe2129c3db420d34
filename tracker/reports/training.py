"""Staff training by staff group: who was trained this year (new or refresher, in person or by
e-learning) and who is currently trained (within the validity period).

A `TrainingRow` (one country, or one property of a hotel chain) holds one `TrainingGroup` per
staff group. The row's own employees / trained / current are the groups' sums, added up in one
place (`TrainingRow.add_up`) whenever groups are saved, so the public and staff figures sum one
column each; rows carried from before groups existed keep the totals they were given.
"""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Integer,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models_base import LabelledEnum, enum_column_type

DEFAULT_VALIDITY_YEARS = 2
MAX_VALIDITY_YEARS = 10


class StaffGroup(LabelledEnum):
    """Who is trained: front-line staff meet travellers and children, so the coverage rule of
    criterion 2 reads theirs first."""

    FRONT_LINE = "front_line"
    MANAGEMENT = "management"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "front_line": _l("Front-line staff"),
            "management": _l("Management"),
            "other": _l("Other staff"),
        }[self.value]

    @property
    def hint(self) -> str:
        return {
            "front_line": _l("Reception, security, guides, drivers, crew"),
            "management": _l("Managers and supervisors"),
            "other": _l("Everyone else (back office, kitchen, maintenance…)"),
        }[self.value]


# The four counts of people who completed Code training in the reporting year, each person
# counted once: new or refresher training, in person or by e-learning.
TRAINED_THIS_YEAR = (
    "new_in_person",
    "new_e_learning",
    "refresher_in_person",
    "refresher_e_learning",
)
GROUP_COUNTS = ("employees", *TRAINED_THIS_YEAR, "current")


class TrainingGroup(db.Model):
    """One staff group's training in one training row."""

    __tablename__ = "report_training_groups"
    __table_args__ = (
        UniqueConstraint("training_id", "staff_group", name="uq_report_training_groups_group"),
        CheckConstraint(
            " AND ".join(f"({name} IS NULL OR {name} >= 0)" for name in GROUP_COUNTS),
            name="not_negative",
        ),
        CheckConstraint(
            "COALESCE(new_in_person, 0) + COALESCE(new_e_learning, 0)"
            " + COALESCE(refresher_in_person, 0) + COALESCE(refresher_e_learning, 0)"
            " <= COALESCE(employees, 0)",
            name="trained_at_most_employees",
        ),
        CheckConstraint(
            "current IS NULL OR current <= COALESCE(employees, 0)", name="current_at_most_employees"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        ForeignKey("report_training.id", ondelete="CASCADE"), index=True
    )
    staff_group: Mapped[StaffGroup] = mapped_column(enum_column_type(StaffGroup, "staff_group"))
    employees: Mapped[int | None] = mapped_column(Integer)  # at the end of the year
    new_in_person: Mapped[int | None] = mapped_column(Integer)
    new_e_learning: Mapped[int | None] = mapped_column(Integer)
    refresher_in_person: Mapped[int | None] = mapped_column(Integer)
    refresher_e_learning: Mapped[int | None] = mapped_column(Integer)
    # Employees at the end of the year whose Code training is within the validity period
    # (`validity_years`): everyone trained this year, and those trained in the years before.
    current: Mapped[int | None] = mapped_column(Integer)

    row: Mapped["TrainingRow"] = relationship(back_populates="groups")  # noqa: F821

    @property
    def trained(self) -> int | None:
        """People who completed Code training this year (new and refresher, both formats)."""
        counts = [getattr(self, name) for name in TRAINED_THIS_YEAR]
        if all(count is None for count in counts):
            return None
        return sum(count or 0 for count in counts)

    @property
    def currently_trained(self) -> int | None:
        """The currently trained; a group that gives only who was trained this year counts
        them, as they are current by definition (`currently_trained_sql` is the SQL twin)."""
        return self.trained if self.current is None else self.current

    @classmethod
    def currently_trained_sql(cls) -> ColumnElement[int]:
        trained = sum(func.coalesce(getattr(cls, name), 0) for name in TRAINED_THIS_YEAR)
        return func.coalesce(cls.current, trained)

    @property
    def in_person(self) -> int:
        return (self.new_in_person or 0) + (self.refresher_in_person or 0)

    @property
    def e_learning(self) -> int:
        return (self.new_e_learning or 0) + (self.refresher_e_learning or 0)

    @property
    def is_blank(self) -> bool:
        return all(getattr(self, name) is None for name in GROUP_COUNTS)


def validity_years() -> int:
    """How many years Code training counts as current (TRAINING_VALIDITY_YEARS, default 2)."""
    return int(current_app.config.get("TRAINING_VALIDITY_YEARS", DEFAULT_VALIDITY_YEARS))


def validity_first_year(report_year: int) -> int:
    """The earliest year whose training still counts as current at the end of `report_year`
    (2025 for a 2026 report with two years' validity)."""
    return report_year - validity_years() + 1


def check_validity_years(value) -> None:
    """Refuse to start with a validity period that is not a whole number of years from 1 to 10."""
    try:
        years = int(value)
    except (TypeError, ValueError):
        years = 0
    if not 1 <= years <= MAX_VALIDITY_YEARS or str(value).strip() != str(years):
        raise RuntimeError(
            f"TRAINING_VALIDITY_YEARS {value!r} must be a whole number of years from 1 to"
            f" {MAX_VALIDITY_YEARS}."
        )
