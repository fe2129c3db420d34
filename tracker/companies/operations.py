"""Where a company operates: one row per country, hotels naming each property."""

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db


class Operation(db.Model):
    """A country where a company has a property or sells trips; hotels name the property."""

    __tablename__ = "operations"
    __table_args__ = (
        CheckConstraint("length(country_code) = 2", name="country_code"),
        Index("ix_operations_country_company", "country_code", "company_id"),
        Index("ix_operations_country_city", "country_code", "city"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    country_code: Mapped[str] = mapped_column(String(2))
    property_name: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))
    # Whether staff saw the row's text: rows a member adds once approved (properties change at
    # once, unlike countries) wait for staff before the public sees their name and city.
    reviewed: Mapped[bool] = mapped_column(default=True, server_default=true())

    company: Mapped["Company"] = relationship(back_populates="operations")  # noqa: F821

    @property
    def is_public(self) -> bool:
        """Whether the public sees the row's text (SQL twin: `queries.public_operation`):
        staff have seen it, and the member lists its properties."""
        return self.reviewed and self.company.publish_properties is not False

    @property
    def public_property_name(self) -> str | None:
        return self.property_name if self.is_public else None

    @property
    def public_city(self) -> str | None:
        return self.city if self.is_public else None
